// The agent console's entry point: sign-in and sign-out, then the inbox, the conversation pane
// and the shortcuts wired to one live data source (live.js). The open conversation is in the
// URL (#/conversations/ID), so a reload or a shared link opens it again.
// SPDX-License-Identifier: MIT
import { describeError } from './api.js';
import { createConversation } from './conversation.js';
import { createInbox } from './inbox.js';
import { bindKeys } from './keys.js';
import { createLive } from './live.js';
import { forgetToken, savedToken, signIn } from './session.js';

const $ = (id) => document.getElementById(id);
const NOTICE = 'pagewise.console.notice';
const POLL_MS = 4000;

function showSignIn(message) {
  $('app').hidden = true;
  $('signin').hidden = false;
  $('signin-error').textContent = message || sessionStorage.getItem(NOTICE) || '';
  sessionStorage.removeItem(NOTICE);
  $('token').focus();
}

// Sign-out reloads the page: nothing of the session (timers, listeners, data) can survive it.
function signOut(notice) {
  forgetToken();
  if (notice) sessionStorage.setItem(NOTICE, notice);
  location.replace('/console/');
}

const idFromHash = () => {
  const m = /^#\/conversations\/(\d+)$/.exec(location.hash);
  return m ? Number(m[1]) : null;
};

function announce(text) {
  const toast = $('toast');
  toast.textContent = text;
  toast.hidden = false;
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => { toast.hidden = true; }, 4000);
}

function start(client, agents, token, me) {
  $('signin').hidden = true;
  $('app').hidden = false;
  $('whoami').textContent = `${me.name} \u00b7 ${me.role === 'admin' ? 'Admin' : 'Agent'}`;
  const live = createLive(client, { token, intervalMs: POLL_MS });
  const names = new Map(agents.map((a) => [a.id, a.name]));
  const open = (id) => {
    if (idFromHash() !== id) history.pushState(null, '', `#/conversations/${id}`);
    route();
  };
  const inbox = createInbox(live, { onOpen: open, agentName: (id) => names.get(id) || `Agent ${id}` });
  const conversation = createConversation(live, $('conversation'), {
    agents, announce, onOpen: open,
    // The resolved conversation leaves the inbox: go on with the one that took its place.
    onResolved(id, place) {
      announce(`Conversation #${id} resolved.`);
      const items = live.inbox.items.filter((t) => t.id !== id);
      const next = items[Math.min(Math.max(place, 0), items.length - 1)];
      if (next) open(next.id);
      else {
        history.pushState(null, '', '#/');
        route();
      }
      inbox.focus();
    },
  });

  function route() {
    const id = idFromHash();
    inbox.markOpen(id);
    if (id === null) live.close();
    else live.open(id);
    document.title = id === null ? 'Inbox \u2014 Pagewise console' : `#${id} \u2014 Pagewise console`;
  }

  live.subscribe('status', (s) => {
    if (s.signedOut) return signOut('Your session ended. Sign in again.');
    $('sync').textContent = s.error ? describeError(s.error) : s.pushed ? 'Live' : 'Updating every few seconds';
    $('sync').classList.toggle('down', Boolean(s.error));
  });
  window.addEventListener('popstate', route);
  $('signout').addEventListener('click', () => signOut('You are signed out.'));
  const help = () => $('shortcuts').showModal();
  $('shortcuts-button').addEventListener('click', help);
  bindKeys({
    next: () => inbox.move(1),
    previous: () => inbox.move(-1),
    open: () => inbox.openSelected(),
    reply: () => conversation.focusReply(),
    back: () => inbox.focus(),
    help,
  });

  live.setFilters({});
  route();
  live.start();
  inbox.focus();
}

async function trySignIn(token) {
  const submit = $('signin-submit');
  submit.disabled = true;
  $('signin-error').textContent = '';
  try {
    const { client, agents, token: accepted, me } = await signIn(token);
    start(client, agents, accepted, me);
  } catch (err) {
    showSignIn(err.message);
    $('token').select();
  } finally {
    submit.disabled = false;
  }
}

$('signin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  trySignIn($('token').value);
});

const saved = savedToken();
if (saved) trySignIn(saved);
else showSignIn();
