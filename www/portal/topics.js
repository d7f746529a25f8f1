// The help center's topics. Articles carry intents, not categories, so a topic is a set of
// intents and an article belongs to the topic of its first intent it names; articles with none
// we know (a new intent, or no intent at all) land in "More articles" rather than vanishing.
// SPDX-License-Identifier: MIT

export const TOPICS = [
  { key: 'projects', icon: 'board', title: 'Projects and tasks',
    lead: 'Boards, tasks, custom fields, notifications and files.',
    intents: ['board_tasks', 'custom_fields', 'archive_delete_project', 'notifications',
      'file_upload_error', 'refund_settings'] },
  { key: 'sign-in', icon: 'key', title: 'Signing in',
    lead: 'Passwords, two-factor authentication and single sign-on.',
    intents: ['reset_password', 'login_problem', 'two_factor', 'sso_setup'] },
  { key: 'team', icon: 'team', title: 'Your team',
    lead: 'Invite people, roles and permissions, ownership.',
    intents: ['invite_teammate', 'user_roles'] },
  { key: 'billing', icon: 'card', title: 'Billing and plans',
    lead: 'Invoices, payments, upgrades, cancelling and refunds.',
    intents: ['billing_invoice', 'billing_charge_issue', 'upgrade_plan', 'cancel_subscription',
      'refund_request'] },
  { key: 'data', icon: 'chart', title: 'Reports, import and export',
    lead: 'Dashboards, exporting to CSV, Excel or PDF, moving in from other tools.',
    intents: ['reports_dashboard', 'export_data', 'import_data'] },
  { key: 'integrations', icon: 'plug', title: 'Integrations and API',
    lead: 'Slack, calendars, Zapier, GitHub, API keys and webhooks.',
    intents: ['integration_slack', 'api_keys'] },
  { key: 'security', icon: 'shield', title: 'Security and privacy',
    lead: 'Account safety, GDPR requests and compliance documents.',
    intents: ['account_security', 'data_privacy'] },
  { key: 'help', icon: 'lifebuoy', title: 'Troubleshooting and feedback',
    lead: 'Something broken or slow, ideas, and reaching a person.',
    intents: ['bug_report', 'performance_slow', 'feature_request', 'talk_to_human'] },
];

export const OTHER = { key: 'more', icon: 'more', title: 'More articles',
  lead: 'Everything else in the knowledge base.', intents: [] };

const byIntent = new Map(TOPICS.flatMap((t) => t.intents.map((i) => [i, t])));

export function topicOf(article) {
  for (const intent of article.intents || []) {
    const topic = byIntent.get(intent);
    if (topic) return topic;
  }
  return OTHER;
}

export function topicByKey(key) {
  return TOPICS.find((t) => t.key === key) || (key === OTHER.key ? OTHER : null);
}

const byTitle = (a, b) => a.title.localeCompare(b.title, 'en', { sensitivity: 'base' });

// [{topic, articles}] in the order of TOPICS (then "More articles"), titles A to Z, empty
// topics left out.
export function groupByTopic(articles) {
  const groups = new Map([...TOPICS, OTHER].map((t) => [t, []]));
  for (const a of articles) groups.get(topicOf(a)).push(a);
  return [...groups].filter(([, list]) => list.length)
    .map(([topic, list]) => ({ topic, articles: list.sort(byTitle) }));
}
