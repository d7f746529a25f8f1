// Shows the live health of the server on the landing page.
// SPDX-License-Identifier: MIT
const out = document.getElementById('health');
fetch('/api/v1/health')
  .then((res) => res.json())
  .then((body) => {
    out.textContent = `${body.status}, version ${body.version}, schema ${body.schema_version}`;
  })
  .catch((err) => {
    out.textContent = `unreachable (${err.message})`;
  });
