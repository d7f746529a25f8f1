// The agent's sign-in: the token lives in sessionStorage (gone when the tab closes, never in
// localStorage where it would outlive the shift) and is checked against the API before use.
// SPDX-License-Identifier: MIT
import { ApiError, createClient } from './api.js';

const KEY = 'pagewise.console.token';

export const savedToken = () => sessionStorage.getItem(KEY);
export const forgetToken = () => sessionStorage.removeItem(KEY);

// Checks the token by asking whose it is (/agents/me), and reads the agents list the console
// needs for reassigning. Resolves { client, agents, me, token } or throws an Error whose message is for the person signing in.
export async function signIn(token) {
  const value = String(token || '').trim();
  if (!value) throw new Error('Enter your agent token.');
  const client = createClient(value);
  try {
    const me = await client.get('/agents/me');
    const agents = await client.get('/agents', { limit: 200 });
    sessionStorage.setItem(KEY, value);
    return { client, agents: agents.items, me, token: value };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      throw new Error('That token was not accepted. Check it and try again.');
    }
    if (err instanceof ApiError && err.status === 429) {
      throw new Error('Too many attempts. Wait a minute before trying again.');
    }
    if (err instanceof ApiError && err.status === 0) {
      throw new Error('The server cannot be reached. Check your connection.');
    }
    throw new Error('Sign-in failed on the server. Try again in a moment.');
  }
}
