// Every published article, fetched once per page load and shared by the views that need the
// whole set (topics and related articles). A failed load is forgotten so
// the next view that asks tries again.
// SPDX-License-Identifier: MIT
import { allArticles } from './api.js';

let loading = null;

export function catalogue() {
  if (!loading) {
    loading = allArticles().catch((err) => {
      loading = null;
      throw err;
    });
  }
  return loading;
}
