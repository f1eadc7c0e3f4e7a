import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_KINDS } from '../src/api/types';
import DocumentRow from '../src/features/inbox/DocumentRow.svelte';
import { LANGS, messagesFor, setLang } from '../src/lib/i18n/index.svelte';
import { doc } from './fixtures';

// The inbox's list is narrow on a 1366-pixel screen: «Акт выполненных работ (к…» left every act
// looking alike. Each row shows a short kind name that starts with what tells it apart.
describe('Short kind names', () => {
  it('every kind has one in every language, shorter than the full name and unlike the others', () => {
    for (const l of LANGS) {
      const m = messagesFor(l);
      const shorts = DOCUMENT_KINDS.map((k) => m.kindsShort[k]);
      expect(new Set(shorts).size, l).toBe(DOCUMENT_KINDS.length);
      for (const k of DOCUMENT_KINDS) {
        expect(m.kindsShort[k].length, `${l} ${k}`).toBeLessThanOrEqual(m.kinds[k].length);
        // What fits a narrow row: the distinguishing words within the first 34 characters.
        expect(m.kindsShort[k].length, `${l} ${k}`).toBeLessThanOrEqual(34);
      }
    }
  });

  it('the acts and corrections say what they are for first', () => {
    const ru = messagesFor('ru').kindsShort;
    expect(ru.placement_services_act).toBe('Акт: размещение');
    expect(ru.other_services_act).toBe('Акт: прочие услуги');
    expect(ru.sales_report).toBe('Отчёт о реализации');
    expect(ru.reconciliation_act).toBe('Акт сверки');
    expect(ru.other_services_act_correction).toBe('Корректировка: прочие услуги');
    expect(messagesFor('kk').kindsShort.placement_services_act).toBe('Акт: орналастыру');
    expect(messagesFor('en').kindsShort.other_services_act).toBe('Act: other services');
  });

  it('a row shows the short name, and the full one on hover', () => {
    render(DocumentRow, {
      doc: doc(1, { kind: 'other_services_act' }),
      selected: false,
      onselect: () => {},
      onopen: () => {}
    });
    const title = screen.getByText('Акт: прочие услуги');
    expect(title.getAttribute('title')).toBe('Акт выполненных работ (прочие услуги)');
  });

  it('in Kazakh too', () => {
    setLang('kk');
    render(DocumentRow, {
      doc: doc(2, { kind: 'placement_services_act_correction' }),
      selected: false,
      onselect: () => {},
      onopen: () => {}
    });
    const title = screen.getByText('Түзету: орналастыру');
    expect(title.getAttribute('title')).toBe('Түзету актісі (тауарларды Платформада орналастыру қызметтері)');
  });
});
