// Where in Acme Projects an article variant's steps apply, in words a customer recognises:
// "On Reports (/reports)". Known routes have their screen's name; any other route is named
// from its path, so a variant added later still gets a sensible heading.
// SPDX-License-Identifier: MIT

const SCREENS = {
  '/login': 'the sign-in page',
  '/signup': 'the sign-up page',
  '/projects': 'Projects',
  '/projects/:id': 'a project',
  '/projects/:id/board': 'a project\u2019s board',
  '/projects/:id/export': 'a project\u2019s Export page',
  '/projects/:id/settings': 'a project\u2019s settings',
  '/reports': 'Reports',
  '/settings/billing': 'Settings \u203a Billing',
  '/settings/team': 'Settings \u203a Team',
  '/settings/security': 'Settings \u203a Security',
  '/settings/profile': 'Settings \u203a Profile',
  '/settings/integrations': 'Settings \u203a Integrations',
  '/settings/api': 'Settings \u203a API',
};

const words = (segment) => segment.replace(/[-_]+/g, ' ')
  .replace(/^./, (c) => c.toUpperCase());

function screenOf(route) {
  if (SCREENS[route]) return SCREENS[route];
  const parts = route.split('/').filter((s) => s && !s.startsWith(':')).map(words);
  return parts.length ? parts.join(' \u203a ') : 'the home page';
}

// {route?, page_id?} -> ["On Reports", "(/reports)"] or ["On the \u201creports\u201d page", ""]:
// the place in words, and the route the support team and the widget know it by.
export function placeHeading(variant) {
  if (variant.route) return [`On ${screenOf(variant.route)}`, `(${variant.route})`];
  return [`On the \u201c${variant.page_id}\u201d page`, ''];
}
