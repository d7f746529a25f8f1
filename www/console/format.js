// Turns API values into words an agent reads: SLA due times, relative times, reason codes,
// intents, lanes, plans and event kinds. Pure functions of their arguments (the clock is passed
// in), so the inbox and the conversation agree and tests can pin the time.
// SPDX-License-Identifier: MIT

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

// 25 min, 3 h, 2 d: coarse on purpose, an SLA is read at a glance.
export function span(ms) {
  const a = Math.abs(ms);
  if (a < MIN) return '< 1 min';
  if (a < HOUR) return `${Math.round(a / MIN)} min`;
  if (a < DAY) return `${Math.round(a / HOUR)} h`;
  return `${Math.round(a / DAY)} d`;
}

// {text: 'due in 25 min' | 'overdue 3 h', level: 'ok' | 'soon' | 'late'}; null without an SLA.
export function slaDue(dueAt, now) {
  if (dueAt === null || dueAt === undefined) return null;
  const left = dueAt - now;
  if (left < 0) return { text: `overdue ${span(left)}`, level: 'late' };
  return { text: `due in ${span(left)}`, level: left < 30 * MIN ? 'soon' : 'ok' };
}

export function ago(at, now) {
  const d = now - at;
  return d < MIN ? 'just now' : `${span(d)} ago`;
}

export function clock(at) {
  return new Date(at).toLocaleString(undefined,
    { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

// refund_request -> Refund request. Intents are the model's labels, which can change with the
// model, so they are humanised rather than looked up.
export function humanize(name) {
  if (!name) return '';
  const s = String(name).replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const intentLabel = (intent) => (intent ? humanize(intent) : 'Out of scope');

const PLANS = { free: 'Free', starter: 'Starter', pro: 'Pro', enterprise: 'Enterprise' };
export const planLabel = (plan) => PLANS[plan] || humanize(plan);

const LANES = { escalate: 'Escalated', assist: 'Needs approval', resolve: 'AI answered' };
export const laneLabel = (lane) => LANES[lane] || humanize(lane);

export const PRIORITIES = ['Urgent', 'High', 'Normal', 'Low'];
export const priorityLabel = (p) => PRIORITIES[p] ?? `P${p}`;

export const percent = (p) => `${Math.round(p * 100)}%`;

// The core's reasons (shared/include/pw/decide.h) and the server's own (pipeline/record.c),
// worded for the agent reading the case. An unknown code falls back to its humanised name, so a
// newer server never shows a blank.
const REASONS = {
  HUMAN_ONLY_INTENT: 'This kind of request always goes to a person',
  OUT_OF_SCOPE: 'The message matches none of the known topics',
  HIGH_STAKES_KEYWORD: 'Mentions a high-stakes topic (money, cancellation, legal, security)',
  ACCOUNT_FLAG: 'The account is flagged (past due, churn risk, VIP or open incident)',
  REPEATED_QUESTION: 'The customer is asking the same question again',
  REPEAT_CONTACT: 'The customer says this is not their first contact',
  HIGH_FRUSTRATION: 'The customer is very frustrated',
  URGENT: 'Urgent or blocking for the customer',
  ENTERPRISE_TIER: 'Enterprise customers reach a person sooner',
  LOW_CONFIDENCE: 'The AI is unsure what this is about',
  NEVER_AUTOMATE: 'This topic may be drafted but never sent without a person',
  NEGATIVE_SENTIMENT: 'The customer is unhappy',
  MEDIUM_CONFIDENCE: 'The AI is fairly, but not fully, sure of the topic',
  ERROR_ON_PAGE: 'The page showed an error or a request failed',
  FEATURE_DISABLED_BY_PLAN: 'The feature asked about is locked by the customer\u2019s plan',
  STRUGGLING: 'The widget saw the customer struggle on this page',
  HIGH_CONFIDENCE: 'The topic is clear and automation is allowed',
  AGENT_ENGAGED: 'An agent already answers this conversation',
  NO_ARTICLE: 'No knowledge-base article fits well enough to answer alone',
  ARTICLE_HUMAN_ONLY: 'The best article is marked for agents only',
};
// `specifics` names what triggered the reason when the ticket knows it (the high-stakes
// categories, the account flags), so the agent reads "refund" and not a category list.
export function reasonText(code, specifics) {
  const text = REASONS[code] || humanize(String(code).toLowerCase());
  if (!specifics || !specifics.length) return text;
  return `${text.replace(/ \(.*\)$/, '')}: ${specifics.join(', ')}`;
}

const EVENTS = {
  rage_click: 'Rage click',
  dead_click: 'Click with no response',
  error_click: 'Click followed by an error',
  repeated_failure: 'Same action failed repeatedly',
  page_loop: 'Went back and forth between pages',
  form_abandon: 'Gave up on a form after an error',
  js_error: 'JavaScript error',
  failed_request: 'Request failed',
  navigation: 'Opened page',
  nudge_shown: 'Widget offered help',
  nudge_accepted: 'Accepted the widget\u2019s help',
  nudge_dismissed: 'Dismissed the widget\u2019s help',
};
export const eventLabel = (kind) => EVENTS[kind] || humanize(kind);

// Struggle kinds are drawn as warnings in the timeline; navigation and nudges are context.
const STRUGGLE = new Set(['rage_click', 'dead_click', 'error_click', 'repeated_failure',
  'page_loop', 'form_abandon', 'js_error', 'failed_request']);
export const isStruggle = (kind) => STRUGGLE.has(kind);

const FLAGS = { past_due: 'Past due', churn_risk: 'Churn risk', vip: 'VIP',
  open_incident: 'Open incident' };
export const flagLabel = (flag) => FLAGS[flag] || humanize(flag);

export const customerName = (c) => (c && (c.name || c.email)) || 'Anonymous visitor';

// Two letters for an avatar: "Ann Lee" -> AL, "bo@example.com" -> BO.
export function initials(name) {
  const words = String(name || '?').replace(/@.*/, '').split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const letters = words.length > 1 ? words[0][0] + words[1][0] : (words[0] || '?').slice(0, 2);
  return letters.toUpperCase();
}
