// HTML character references in article text: &quot; &nbsp; &#8220; &#x627; ...
//
// Scraped news text often still carries the character references of the page
// it came from (SaudiNewsNet: &quot; in 528 articles, &nbsp; in 347, &#8220;
// / &#8221; in 57). Left alone they become words: "quot", "nbsp", "8220", which
// then form shingles and story terms (46 SaudiNewsNet articles shared a story
// made of "8220" and "8221"). The normalization spec (ar-nd-1) takes plain
// text: references are decoded before it, here. CorpusReader does it by
// default (ReaderOptions::decode_html_entities); library users who feed text
// to Engine::Add themselves call DecodeHtmlEntities first if their text may
// hold references.
//
// What is decoded, in one left-to-right pass (so "&amp;quot;" becomes
// "&quot;", as a browser shows it):
//   - numeric references &#NNN; and &#xHHH; (decimal or hex, any case of x),
//     with the HTML rules for bad values: 0, surrogates and values above
//     U+10FFFF become U+FFFD, and 0x80..0x9F are read as Windows-1252 (&#150;
//     is an en dash) as browsers do;
//   - the named references news pages use: the five XML ones (amp lt gt quot
//     apos), spaces and joiners (nbsp ensp emsp thinsp zwnj zwj lrm rlm shy),
//     quotes and dashes (lsquo rsquo sbquo ldquo rdquo bdquo laquo raquo
//     ndash mdash hellip bull middot), and a few symbols (copy reg trade deg
//     times divide). Names are case-sensitive, as in HTML.
// The terminating ';' is required: "AT&T" and "&nbsp" without ';' stay as
// they are, as does any unknown name ("&foo;"). Decoding never fails; the
// output is valid UTF-8 whenever the input is.
//
// Thread-safety: pure functions.
#ifndef NAZIR_IO_HTML_ENTITIES_H_
#define NAZIR_IO_HTML_ENTITIES_H_

#include <cstddef>
#include <string>

namespace nazir {

// Decodes the references in *text in place (the text only shrinks: every
// reference is longer than its UTF-8). Returns how many were decoded. Costs a
// memchr for '&' when there is none.
size_t DecodeHtmlEntities(std::string* text);

}  // namespace nazir

#endif  // NAZIR_IO_HTML_ENTITIES_H_
