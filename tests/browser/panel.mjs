// Steps on the widget's panel that several suites take (the widget on the demo, the loop with
// the console, the portal's chat).
// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { screenshot } from './chromium.mjs';

// Sends `text` from the open panel and waits for the hand-off to a person: the answer says
// escalate and the panel shows the system notice (matching `notice`). Returns the
// conversation id.
export async function escalate(page, text, timeout, notice = 'support team') {
  await page.locator('#pw-text').fill(text);
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/widget/messages')),
    page.keyboard.press('Enter'),
  ]);
  const { conversation_id: id, decision } = await answer.json();
  assert.equal(decision.lane, 'escalate');
  await page.locator('.log li.system', { hasText: notice }).waitFor({ timeout });
  return id;
}

// The polling requests among a page's recorded requests ({method, url}): while the live
// connection is up there are none.
export function widgetPolls(requests) {
  return requests.filter((r) => r.method === 'GET'
    && r.url.includes('/api/v1/widget/conversations/'));
}

// Once a person resolved the conversation: the panel asks for a rating; gives it 5 of 5 and
// waits for the thanks. `shot` names the screenshot taken of the question.
export async function rateFive(page, shot, timeout) {
  const five = page.getByRole('button', { name: '5 of 5: Very good' });
  await five.waitFor({ timeout });
  await screenshot(page, shot);
  await five.click();
  await page.locator('.rate', { hasText: 'Thanks for rating us' }).waitFor({ timeout });
}
