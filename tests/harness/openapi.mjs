// Checks API responses against server/api/openapi.json: a small OpenAPI 3.0 schema validator
// (the subset the document uses), path matching, per-response checks, a coverage recorder, and
// apiFetch, which the API tests call instead of fetch so every answer they see is checked.
// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SPEC_PATH = fileURLToPath(new URL('../../server/api/openapi.json', import.meta.url));

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function loadSpec(path = SPEC_PATH) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

// '#/components/schemas/Ticket' -> the object it names; throws when it names nothing.
export function resolveRef(spec, ref) {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`);
  let node = spec;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) {
      throw new Error(`unresolved $ref ${ref}`);
    }
    node = node[key];
  }
  return node;
}

function deref(spec, node) {
  let seen = 0;
  while (node && typeof node === 'object' && typeof node.$ref === 'string') {
    if (++seen > 32) throw new Error(`$ref loop at ${node.$ref}`);
    node = resolveRef(spec, node.$ref);
  }
  return node;
}

// Path templates split into segments: '{id}' is a parameter, anything else literal.
function splitPath(path) {
  return path.split('/').slice(1);
}

// The operation for a concrete path. Literal segments beat parameters from the left, so
// /api/v1/articles/search is the search and not article "search". Returns null when no path
// matches; `operation` is null when the path matches but the method is not documented.
export function matchOperation(spec, method, urlPath) {
  const segments = splitPath(urlPath.split(/[?#]/)[0]);
  let best = null;
  for (const template of Object.keys(spec.paths ?? {})) {
    const parts = splitPath(template);
    if (parts.length !== segments.length) continue;
    const params = {};
    const rank = [];
    let matched = true;
    for (let i = 0; i < parts.length && matched; i++) {
      const name = /^\{([^}]+)\}$/.exec(parts[i]);
      if (name) {
        if (segments[i] === '') matched = false;
        else params[name[1]] = decodeSegment(segments[i]);
        rank.push(0);
      } else {
        matched = parts[i] === segments[i];
        rank.push(1);
      }
    }
    if (!matched) continue;
    if (best && compareRank(rank, best.rank) <= 0) continue;
    best = { pathTemplate: template, params, rank };
  }
  if (!best) return null;
  const pathItem = spec.paths[best.pathTemplate];
  const operation = pathItem[method.toLowerCase()] ?? null;
  return { operation, pathTemplate: best.pathTemplate, params: best.params };
}

function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function compareRank(a, b) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

// --- schema validation ------------------------------------------------------------------

// Formats checked; any other format is accepted as is.
const STRING_FORMATS = {
  'date-time': (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v)
    && !Number.isNaN(Date.parse(v)),
  email: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
  uri: (v) => { try { new URL(v); return true; } catch { return false; } },
};
const NUMBER_FORMATS = {
  int32: (v) => v >= -2147483648 && v <= 2147483647,
  int64: (v) => Number.isSafeInteger(v),
};

const regexCache = new Map();
function regex(pattern) {
  let re = regexCache.get(pattern);
  if (!re) { re = new RegExp(pattern, 'u'); regexCache.set(pattern, re); }
  return re;
}

function typeOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function hasType(value, type) {
  const actual = typeOf(value);
  if (type === 'number') return actual === 'number' || actual === 'integer';
  return actual === type;
}

function propPath(path, key) {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

// Errors as "JSON path: problem" strings; an empty array means `value` is valid.
export function validate(spec, schema, value, path = '$') {
  const errors = [];
  check(spec, schema, value, path, errors);
  return errors;
}

function check(spec, schema, value, path, errors) {
  schema = deref(spec, schema);
  if (schema === true || schema === undefined) return;
  if (schema === false) { errors.push(`${path}: no value is allowed here`); return; }
  if (value === null && schema.nullable === true) return;
  if (schema.type !== undefined && !hasType(value, schema.type)) {
    errors.push(`${path}: expected ${schema.type}, got ${typeOf(value)}`);
    return;
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof value === 'number') checkNumber(schema, value, path, errors);
  if (typeof value === 'string') checkString(schema, value, path, errors);
  if (Array.isArray(value)) checkArray(spec, schema, value, path, errors);
  else if (typeOf(value) === 'object') checkObject(spec, schema, value, path, errors);
  checkCombinators(spec, schema, value, path, errors);
}

function checkNumber(schema, value, path, errors) {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = schema;
  if (minimum !== undefined && (exclusiveMinimum ? value <= minimum : value < minimum)) {
    const bound = exclusiveMinimum ? ' (exclusive)' : '';
    errors.push(`${path}: ${value} is below the minimum ${minimum}${bound}`);
  }
  if (maximum !== undefined && (exclusiveMaximum ? value >= maximum : value > maximum)) {
    const bound = exclusiveMaximum ? ' (exclusive)' : '';
    errors.push(`${path}: ${value} is above the maximum ${maximum}${bound}`);
  }
  const format = NUMBER_FORMATS[schema.format];
  if (format && !format(value)) errors.push(`${path}: ${value} is not a valid ${schema.format}`);
}

function checkString(schema, value, path, errors) {
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) {
    errors.push(`${path}: length ${length} is below minLength ${schema.minLength}`);
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    errors.push(`${path}: length ${length} is above maxLength ${schema.maxLength}`);
  }
  if (schema.pattern !== undefined && !regex(schema.pattern).test(value)) {
    errors.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  }
  const format = STRING_FORMATS[schema.format];
  if (format && !format(value)) {
    errors.push(`${path}: ${JSON.stringify(value)} is not a valid ${schema.format}`);
  }
}

function checkArray(spec, schema, value, path, errors) {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    errors.push(`${path}: ${value.length} items, fewer than minItems ${schema.minItems}`);
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    errors.push(`${path}: ${value.length} items, more than maxItems ${schema.maxItems}`);
  }
  if (schema.items !== undefined) {
    value.forEach((item, i) => check(spec, schema.items, item, `${path}[${i}]`, errors));
  }
}

function checkObject(spec, schema, value, path, errors) {
  const properties = schema.properties ?? {};
  for (const name of schema.required ?? []) {
    if (!Object.hasOwn(value, name)) {
      errors.push(`${propPath(path, name)}: required property is missing`);
    }
  }
  for (const [name, child] of Object.entries(value)) {
    const where = propPath(path, name);
    if (Object.hasOwn(properties, name)) check(spec, properties[name], child, where, errors);
    else if (schema.additionalProperties === false) {
      errors.push(`${where}: property is not allowed`);
    } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      check(spec, schema.additionalProperties, child, where, errors);
    }
  }
}

function checkCombinators(spec, schema, value, path, errors) {
  for (const sub of schema.allOf ?? []) check(spec, sub, value, path, errors);
  if (schema.anyOf) {
    const results = schema.anyOf.map((sub) => validate(spec, sub, value, path));
    if (!results.some((r) => r.length === 0)) {
      errors.push(`${path}: matches none of anyOf (${results.map((r) => r[0]).join('; ')})`);
    }
  }
  if (schema.oneOf) {
    const results = schema.oneOf.map((sub) => validate(spec, sub, value, path));
    const passing = results.filter((r) => r.length === 0).length;
    if (passing === 0) {
      errors.push(`${path}: matches none of oneOf (${results.map((r) => r[0]).join('; ')})`);
    } else if (passing > 1) {
      errors.push(`${path}: matches ${passing} of oneOf, exactly one expected`);
    }
  }
}

// --- responses ------------------------------------------------------------------------------

function headerGetter(headers) {
  if (headers && typeof headers.get === 'function') return (name) => headers.get(name);
  const lower = {};
  for (const [k, v] of Object.entries(headers ?? {})) lower[k.toLowerCase()] = v;
  return (name) => lower[name.toLowerCase()] ?? null;
}

function headerValue(schema, raw) {
  const trimmed = raw.trim();
  if (schema?.type === 'integer' && /^-?\d+$/.test(trimmed)) return Number(trimmed);
  if (schema?.type === 'number' && trimmed !== '' && !Number.isNaN(Number(trimmed))) {
    return Number(trimmed);
  }
  return raw;
}

// The documented responses for a request: the operation's, or the document's
// `x-pagewise-unmatched` ones (404 for unknown paths, 405 for unknown methods on known paths).
function responsesFor(spec, method, urlPath) {
  const m = matchOperation(spec, method, urlPath);
  const unmatched = spec['x-pagewise-unmatched'] ?? {};
  if (!m) return { responses: unmatched.path ?? {}, match: null };
  if (!m.operation) return { responses: unmatched.method ?? {}, match: m };
  return { responses: m.operation.responses ?? {}, match: m };
}

// Problems with one response; an empty array means it is what the document says.
export function checkResponse(spec, method, urlPath, status, headers, bodyText) {
  const errors = [];
  const { responses } = responsesFor(spec, method, urlPath);
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => responses[k]);
  if (!key) {
    const documented = Object.keys(responses).join(', ') || 'none';
    errors.push(`status ${status} is not documented (documented: ${documented})`);
    return errors;
  }
  const response = deref(spec, responses[key]);
  const get = headerGetter(headers);
  if (status === 429 && !get('retry-after')) errors.push('429 without a Retry-After header');
  for (const [name, raw] of Object.entries(response.headers ?? {})) {
    const header = deref(spec, raw);
    const value = get(name);
    if (value === null || value === undefined) {
      if (header.required) errors.push(`header ${name} is missing`);
      continue;
    }
    const schema = deref(spec, header.schema);
    errors.push(...validate(spec, schema, headerValue(schema, value), `header ${name}`));
  }
  const content = response.content ?? {};
  const types = Object.keys(content);
  const contentType = (get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  const text = bodyText ?? '';
  if (types.length === 0) {
    if (text.length > 0) errors.push(`no body is documented, got ${text.length} bytes`);
    return errors;
  }
  if (!types.includes(contentType)) {
    errors.push(`Content-Type is ${JSON.stringify(contentType)}, documented: ${types.join(', ')}`);
    return errors;
  }
  if (contentType !== 'application/json') return errors;
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    errors.push(`body is not JSON: ${e.message}`);
    return errors;
  }
  return errors.concat(validate(spec, content[contentType].schema ?? {}, body));
}

// --- coverage ------------------------------------------------------------------------------

// Which documented responses a test run has seen: "METHOD /path/{template} STATUS".
export function coverage(spec) {
  const documented = [];
  for (const [template, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      if (!item[method]) continue;
      for (const status of Object.keys(item[method].responses ?? {})) {
        documented.push(`${method.toUpperCase()} ${template} ${status}`);
      }
    }
  }
  const seen = new Set();
  return {
    record(method, pathTemplate, status) {
      seen.add(`${method.toUpperCase()} ${pathTemplate} ${status}`);
    },
    seen: () => [...seen].sort(),
    // `ignore`: statuses not expected to be reached by black-box tests, such as ['500'].
    missing({ ignore = [] } = {}) {
      const skip = new Set(ignore.map(String));
      return documented.filter((k) => !seen.has(k) && !skip.has(k.slice(k.lastIndexOf(' ') + 1)));
    },
  };
}

// fetch, then checkResponse: throws with every problem when the answer is not what the
// document says. `body` is sent as JSON (a string is sent as is, for malformed-input tests).
// Returns { status, headers, body }: body parsed when it is JSON, else a Buffer, null when empty.
export async function apiFetch(spec, base, method, path, options = {}) {
  const { body, headers = {}, token, coverage: recorder } = options;
  const sent = { ...headers };
  if (token) sent.Authorization = `Bearer ${token}`;
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    if (!Object.keys(sent).some((k) => k.toLowerCase() === 'content-type')) {
      sent['Content-Type'] = 'application/json';
    }
  }
  const res = await fetch(`${base}${path}`,
    { method, headers: sent, body: payload, redirect: 'manual' });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  const errors = checkResponse(spec, method, path, res.status, res.headers, text);
  if (errors.length > 0) {
    throw new Error(`${method} ${path} -> ${res.status} does not match ${SPEC_PATH}:\n  `
      + `${errors.join('\n  ')}\nbody: ${text.slice(0, 600)}`);
  }
  const match = matchOperation(spec, method, path);
  if (recorder && match?.operation) recorder.record(method, match.pathTemplate, res.status);
  const isJson = /^application\/json/i.test(res.headers.get('content-type') ?? '');
  const parsed = isJson ? JSON.parse(text) : (bytes.length > 0 ? bytes : null);
  return { status: res.status, headers: res.headers, body: parsed, text };
}
