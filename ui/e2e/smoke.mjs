// Smoke test of the built UI (ui/dist) in headless Chromium under the CSP from tauri.conf.json,
// with a fake shell injected before the page loads (the way Tauri injects its IPC, so the CSP
// does not apply to it). Checks what jsdom cannot: pdf.js renders pixels with its worker and
// isEvalSupported:false, no CSP violation is reported, 100,000 documents keep the DOM small, and
// XML from a document never becomes markup. Needs Debian's chromium: `npm run smoke`.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { makePdf } from './pdf-fixture.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
const csp = JSON.parse(fs.readFileSync(path.join(here, '..', '..', 'tauri.conf.json'), 'utf8')).app.security.csp;
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css' };
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

const server = http
  .createServer((req, res) => {
    const p = path.join(dist, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const f = p.startsWith(dist) && fs.existsSync(p) && fs.statSync(p).isFile() ? p : path.join(dist, 'index.html');
    res.writeHead(200, { 'Content-Type': types[path.extname(f)] ?? 'application/octet-stream', 'Content-Security-Policy': csp });
    res.end(fs.readFileSync(f));
  })
  .listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy|Refused/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.addInitScript(({ pdf }) => {
    const attachments = [
      { id: 'a', role: 'main', fileName: 'report.pdf', mimeType: 'application/pdf', size: 1, sha256: 'x' },
      { id: 'e', role: 'esf', fileName: 'esf.xml', mimeType: 'application/xml', size: 1, sha256: 'y' }
    ];
    const doc = (i) => ({
      id: i + 1, operatorId: `op${i}`, origin: 'operator', kind: i % 3 ? 'sales_report' : 'reconciliation_act',
      number: `R-${i + 1}`, date: '2026-10-31', title: 't', periodFrom: '2026-10-01', periodTo: '2026-10-31',
      sender: { bin: '123456789012', name: 'ТОО «Озон Казахстан»' }, recipient: { bin: '987654321098', name: 'ИП Продавец' },
      amount: `${1000 + i}.50`, vatAmount: null, currency: 'KZT', correctionOfNumber: null, correctionOfOperatorId: null,
      status: 'received', decision: null, rejectReason: null, correctionOf: null, contentSha256: 'x', attachments,
      receivedAt: '2026-11-01T09:05:00Z', updatedAt: '2026-11-01T09:05:00Z'
    });
    const total = 100000;
    const enc = new TextEncoder();
    const callbacks = new Map();
    let next = 1;
    window.__TAURI_INTERNALS__ = {
      transformCallback: (f) => { const id = next++; callbacks.set(id, f); return id; },
      unregisterCallback: (id) => callbacks.delete(id),
      invoke: async (cmd, args) => {
        switch (cmd) {
          case 'settings_get':
            return { sellerBin: '987654321098', sellerName: null, signerUrl: 'wss://127.0.0.1:13579', signerPin: null, language: 'ru', dataDir: '/data', maxFileSize: 104857600, reminderDays: 3, account: { name: 'default', url: 'https://edo.example.kz', sellerBin: null, sellerName: null, syncedAt: null } };
          case 'tab_counts':
            return { needs_action: total, accepted: 0, rejected: 0, signed: 0, sent: 0, all: total };
          case 'list_documents': {
            const from = args.query.cursor ? Number(args.query.cursor) : 0;
            const to = Math.min(total, from + args.query.limit);
            return { documents: Array.from({ length: to - from }, (_, k) => doc(from + k)), next: to < total ? String(to) : null };
          }
          case 'get_document':
            return { document: doc(args.id - 1), allowedActions: ['accept', 'reject'], signatures: [], corrects: null, correctedBy: [], operatorStatus: null };
          case 'document_bytes':
            return args.attachmentId === 'a' ? enc.encode(pdf).buffer : enc.encode('<esf><num>1</num><note>&lt;img src=x onerror=alert(1)&gt;</note></esf>').buffer;
          case 'document_history': return [];
          case 'verify_history': return { entries: 3, intact: true, firstBroken: null };
          case 'sync_status': return { online: true, syncing: false, lastSyncedAt: null, account: null };
          case 'notifications': return [];
          case 'waiting_documents': return [];
          case 'company_open':
            return { id: 'main', name: 'ТОО «Продавец»' };
          case 'companies':
            return { open: { id: 'main', name: 'ТОО «Продавец»' }, companies: [{ id: 'main', name: 'ТОО «Продавец»', default: true, waiting: { decision: total, signature: 0 }, problem: null }] };
          case 'plugin:event|listen': return 1;
          default: throw { code: 'not_found', message: `no ${cmd}`, retryable: false };
        }
      }
    };
  }, { pdf: makePdf() });

  await page.goto(url);
  await page.getByRole('tab', { name: /Требуют действия/ }).waitFor();
  const list = page.getByRole('listbox');
  for (let i = 1; i <= 10; i++) {
    await list.evaluate((el, top) => { el.scrollTop = top; el.dispatchEvent(new Event('scroll')); }, i * 56 * 150);
  }
  const rows = await page.locator('.virtual-list-row').count();
  check(rows > 0 && rows < 60, `a handful of rows in the DOM while scrolling the list (${rows})`);

  await list.evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
  await list.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByText('Страница 1 из 2').waitFor({ timeout: 15000 });
  await page.waitForTimeout(500);
  const dark = await page.locator('.pdf-page canvas').evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 128 && d[i + 3] > 0) n++;
    return n;
  });
  check(dark > 100, `pdf.js painted the page text (${dark} dark pixels)`);
  await page.getByRole('searchbox', { name: 'Найти в документе' }).fill('total');
  await page.keyboard.press('Enter');
  await page.getByText('Найдено на страницах: 2').waitFor();
  check(true, 'PDF text search found page 2');

  await page.getByRole('tab', { name: 'esf.xml (ЭСФ)' }).click();
  await page.getByText('ЭСФ: уходит на портал ИС ЭСФ, здесь не подписывается').waitFor();
  check((await page.locator('.xml-view img').count()) === 0, 'XML text stays text (no <img> from the document)');
  await page.getByRole('button', { name: 'KK' }).click();
  await page.getByRole('tab', { name: /Әрекет күтуде/ }).waitFor();
  const amount = (await page.locator('#row-0 .document-row-amount').textContent()).replace(/\s/g, ' ');
  check(amount === '1 000,50 ₸', `Kazakh money as 1 000,50 ₸ even where ICU lacks kk (${amount})`);
  check(problems.length === 0, `no CSP violation or page error${problems.length ? `: ${problems.join(' | ')}` : ''}`);
  if (process.env.SMOKE_SCREENSHOT) await page.screenshot({ path: process.env.SMOKE_SCREENSHOT });
} finally {
  await browser.close();
  server.close();
}
process.exit(failures.length === 0 ? 0 : 1);
