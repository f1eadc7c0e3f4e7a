// Three outcomes only — valid, invalid, could not be checked — each with one sentence of why.
import type { Verdict, Warning } from '../../api/types';
import { formatDay } from '../../lib/format';
import { lang, t } from '../../lib/i18n/index.svelte';

export type Outcome = 'valid' | 'invalid' | 'unknown' | 'not_checked';

export function outcome(v: Verdict | null): Outcome {
  if (!v) return 'not_checked';
  if (v.indication === 'TOTAL_PASSED') return 'valid';
  if (v.indication === 'TOTAL_FAILED') return 'invalid';
  return 'unknown';
}

/** The why: the core's own Russian sentence in Russian, the UI's sentence by sub-indication
 * otherwise. */
export function why(v: Verdict): string {
  if (lang() === 'ru' && v.reason) return v.reason;
  const w = t().signatures.why;
  if (v.indication === 'TOTAL_PASSED') return w.passed;
  return (v.subIndication && w[v.subIndication]) || v.reason;
}

/** One part of the core's algorithm name (core `oids::algorithm_name`, or an XML method URI) in
 * the current language: GOST standards keep their number, an OID is an unknown algorithm, any
 * other name (RSA, ECDSA P-256, SHA-256, a URI) is shown as it is. */
function algorithmPart(part: string): string {
  const a = t().signatures.alg;
  const gost = /^ГОСТ (\d+\.\d+-\d+)(?: \((\d+|ключ)\))?$/.exec(part);
  if (gost) {
    const [, standard, detail] = gost;
    const tail = detail === undefined ? '' : detail === 'ключ' ? ` (${a.key})` : ` (${a.bits(detail)})`;
    return a.gost(standard) + tail;
  }
  const streebog = /^Стрибог-(\d+)$/.exec(part);
  if (streebog) return a.streebog(streebog[1]);
  if (/^\d+(\.\d+)+$/.test(part)) return a.unknown(part);
  return part;
}

/** The verdict's `algorithm` ("ГОСТ 34.310-2015 (512), Стрибог-512": signature, then digest when
 * named) in plain words: «ГОСТ 34.310-2015 (512 бит), хеш Стрибог-512». */
export function algorithmText(algorithm: string): string {
  const [sig, ...rest] = algorithm.split(', ');
  const signature = algorithmPart(sig.trim());
  if (rest.length === 0) return signature;
  return t().signatures.alg.withHash(signature, algorithmPart(rest.join(', ').trim()));
}

type Warn = ReturnType<typeof t>['signatures']['warn'];
/** The core's warning sentences (core/src/signature/verify.rs CHAIN_NOT_CHECKED and first(),
 * chain.rs revocation()), each with the message that says it in the current language. */
const WARNINGS: [RegExp, (w: Warn, m: RegExpExecArray) => string][] = [
  [/^Цепочка сертификата до доверенного корня НУЦ РК и его отзыв не проверялись$/, (w) => w.chainNotChecked],
  [/^Подписантов: (\d+); здесь проверен первый$/, (w, m) => w.signers(m[1])],
  // Verdicts stored before the wording was fixed keep the old sentence.
  [/^CRL издателя «(.*)» не принят: его подпись (?:не проверяется|не прошла проверку)$/, (w, m) => w.crlRejected(m[1])],
  [
    /^CRL издателя «(.*)» устарел \(следующее обновление (\d{4}-\d{2}-\d{2})\); свежий отзыв мог не попасть в него$/,
    (w, m) => w.crlStale(m[1], formatDay(m[2]))
  ],
  [/^Сертификат «(.*)» отозван (\d{4}-\d{2}-\d{2}), после времени проверки$/, (w, m) => w.revokedLater(m[1], formatDay(m[2]))],
  [/^Отзыв не проверен: нет CRL для сертификата «(.*)»$/, (w, m) => w.noCrl(m[1])]
];

/** A warning of the core in the current language: the sentences above with their days as people
 * write them; any other (a CRL that could not be downloaded, and why) as the core says it in each
 * language (`said`); without that, its Russian. */
export function warningText(warning: string, said?: Warning): string {
  for (const [pattern, say] of WARNINGS) {
    const m = pattern.exec(warning);
    if (m) return say(t().signatures.warn, m);
  }
  if (!said) return warning;
  const l = lang();
  return l === 'kk' ? said.messageKk : l === 'en' ? said.messageEn : said.message;
}

/** The chain as the list a person reads: the signer's certificate, then who issued each one up
 * to the trusted certificate. Empty when no chain was built. */
export function chainLines(chain: string[]): string[] {
  const m = t().signatures;
  const last = chain.length - 1;
  return chain.map((name, i) => {
    const line = i === 0 ? name : m.issuedBy(name);
    return i === last ? `${line} (${m.trusted})` : line;
  });
}

/** The signature is intact but no chain stands behind it (not checked, or not built). */
export function intactWithoutChain(v: Verdict): boolean {
  return v.intact && v.chain.length === 0;
}
