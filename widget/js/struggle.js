// The struggle wiring: capture's records go into the core's struggle session (wasm), its
// detections go to the server's event log, and the core's nudge policy says when the widget
// offers help unasked. Every rule (windows, thresholds, cooldown, cap, typing) is the core's;
// this file only converts between capture's records and the core's numbers and keeps time moving
// with a ticker that runs only shortly after activity.
// SPDX-License-Identifier: MIT

const TICK_MS = 1000;
const TICK_FOR_MS = 15000; // dead clicks need 2.5 s, a deferred nudge at most 10 s
const REASONS = { plan: 'plan', permission: 'permission' };

// ---- the core's page functions, in one place ----------------------------------------------

export function pageHash(core, text) {
  return core.pageHash(String(text));
}

export function normalizeRoute(core, path) {
  return core.normalizeRoute(path);
}

export class Struggle {
  #core;
  #o;
  #session;
  #nudges;
  #ticker = 0;
  #activeUntil = 0;
  #mayBePending = 0;

  // options: capture, context() -> {page, panelOpen, typingAt}, onDetections(list),
  // onNudge({kind, feature, planRequired, detection, page}) -> shown.
  constructor(core, options) {
    this.#core = core;
    this.#o = options;
    this.#session = core.struggle();
    this.#nudges = core.nudgeState();
  }

  free() {
    clearTimeout(this.#ticker);
    this.#ticker = 0;
    this.#session.free();
    this.#nudges.free();
  }

  feed(records) {
    if (!records.length) return;
    const now = performance.now();
    this.#activeUntil = now + TICK_FOR_MS;
    this.#handle(this.#session.feed(records), now);
    this.#schedule();
  }

  #schedule() {
    if (this.#ticker) return;
    this.#ticker = setTimeout(() => {
      this.#ticker = 0;
      this.#tick();
    }, TICK_MS);
  }

  #tick() {
    this.#o.capture.flush(); // records first: the clock must not pass events still queued
    const now = performance.now();
    this.#handle(this.#session.tick(now), now);
    if (now < this.#activeUntil || now < this.#mayBePending) this.#schedule();
  }

  #handle(detections, now) {
    const capture = this.#o.capture;
    if (detections.length) {
      this.#o.onDetections(detections.filter((d) => d.kind !== 'disabled_click').map((d) => {
        const detail = { count: d.count };
        if (d.kind === 'error_click') detail.status = d.value;
        return { kind: d.kind, t: d.t, route: capture.routeOf(d.route) || undefined,
          target: capture.labelOf(d.target) || undefined, detail };
      }));
    }
    if (!detections.length && now >= this.#mayBePending) return;
    const ctx = this.#o.context();
    if (ctx.panelOpen || ctx.page.quiet) return;
    const page = ctx.page;
    const nudge = this.#core.nudge({
      state: this.#nudges, page: this.#pageCtx(page), signals: detections, now,
      lastTyping: ctx.typingAt, score: this.#session.score(now),
    });
    if (!nudge) {
      if (detections.length) this.#mayBePending = now + 11000; // perhaps deferred while typing
      return;
    }
    this.#mayBePending = 0;
    const feature = page.features.find((f) => pageHash(this.#core, f.feature) === nudge.target);
    this.#o.onNudge({
      kind: nudge.kind.toUpperCase(), feature: feature ? feature.feature : null,
      planRequired: nudge.kind === 'explain_disabled_feature' && nudge.reason === 'plan'
        ? nudge.planRequired : null,
      detection: { kind: nudge.signal }, page,
    });
  }

  // The page as the core's pw_page_ctx (core.js hashes the names). A disabled feature's reason
  // is the host's free text: the core knows plan and permission, anything else is "other".
  #pageCtx(page) {
    return {
      route: page.route,
      pageId: page.page_id || 0,
      plan: page.plan,
      errorBanners: page.errors.length,
      failedRequests: page.failed_requests.length,
      features: page.features.map((f) => ({
        feature: f.feature,
        enabled: f.enabled,
        reason: f.enabled ? 'none' : REASONS[f.reason] || 'other',
        planRequired: f.plan_required || 'free',
      })),
    };
  }
}
