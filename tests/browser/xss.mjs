// A corpus of XSS payloads for the pages that show text from users and articles (widget panel,
// console, portal): each one, if it ever ran, sets window.__xss. Pages must show them as the
// literal text they are.
// SPDX-License-Identifier: MIT
export const XSS_PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '"><svg onload="window.__xss=1">',
  "'><iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
  '<a href="javascript:window.__xss=1">click</a>',
  '<details open ontoggle="window.__xss=1">',
  '<mark onmouseover="window.__xss=1">marked</mark>',
  '</mark><img src=x onerror="window.__xss=1"><mark>',
  '<style>*{background:url("javascript:window.__xss=1")}</style>',
  '{{constructor.constructor("window.__xss=1")()}}',
];

// Whether any payload ran in the page (or a frame it made).
export function xssRan(page) {
  return page.evaluate(() => window.__xss !== undefined);
}
