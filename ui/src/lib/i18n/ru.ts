// Russian: the default language. Terms follow /work/shared/notes/glossary.md.
import type { DocumentKind, ErrorCode, Lang, Status, Tab } from '../../api/types';
import { plural } from './plural';

const p = (n: number, one: string, few: string, many: string) =>
  plural('ru', n, { one, few, many, other: few });

export const ru = {
  locale: 'ru-KZ',
  langName: 'Русский',
  app: {
    title: 'Qoltanba',
    online: 'В сети',
    offline: 'Нет связи',
    offlineNotice: 'Нет связи: решения отправятся, когда связь восстановится',
    nav: {
      inbox: 'Входящие',
      outbox: 'Исходящие',
      settings: 'Настройки',
      diagnostics: 'Диагностика',
      acts: 'Акты (ЕРИР)'
    },
    language: 'Язык'
  },
  tabs: {
    needs_action: 'Требуют действия',
    accepted: 'Принятые',
    rejected: 'Отклонённые',
    signed: 'Подписанные',
    sent: 'Отправленные',
    all: 'Все'
  } satisfies Record<Tab, string>,
  status: {
    received: 'Ожидает решения',
    viewed: 'Просмотрен',
    accepted: 'Принят',
    rejected: 'Отклонён',
    signed: 'Подписан',
    queued: 'В очереди на отправку',
    sent: 'Отправлен',
    delivered: 'Доставлен',
    send_failed: 'Ошибка отправки',
    revoked: 'Отозван'
  } satisfies Record<Status, string>,
  kinds: {
    sales_report: 'Отчёт о реализации товара',
    placement_services_act: 'Акт выполненных работ (услуги по размещению товаров на Платформе)',
    other_services_act: 'Акт выполненных работ (прочие услуги)',
    points_bonus_act: 'Акт о премии за расчёты баллами',
    goods_compensation_act: 'Акт выполненных работ (компенсации по товарам)',
    services_compensation_act: 'Акт выполненных работ (компенсации по услугам)',
    goods_decompensation_act: 'Акт выполненных работ (декомпенсация по товарам)',
    reconciliation_act: 'Акт сверки взаиморасчётов за период',
    sales_report_correction: 'Корректировочный отчёт о реализации товара',
    placement_services_act_correction: 'Корректировочный акт (услуги по размещению товаров на Платформе)',
    other_services_act_correction: 'Корректировочный акт (прочие услуги)',
    points_bonus_act_correction: 'Корректировочный акт о премии за расчёты баллами',
    other: 'Прочий документ'
  } satisfies Record<DocumentKind, string>,
  count: {
    documents: (n: number) => p(n, '# документ', '# документа', '# документов'),
    selected: (n: number) => p(n, 'Выбран # документ', 'Выбрано # документа', 'Выбрано # документов'),
    /** Received or viewed: accept or reject first. */
    awaitingDecision: (n: number) =>
      p(n, '# документ ожидает решения', '# документа ожидают решения', '# документов ожидают решения'),
    /** Accepted or rejected, the decision not signed yet. */
    pending: (n: number) =>
      p(n, '# документ ожидает подписи', '# документа ожидают подписи', '# документов ожидают подписи'),
    pages: (n: number) => p(n, '# страница', '# страницы', '# страниц'),
    matches: (n: number) => p(n, '# совпадение', '# совпадения', '# совпадений')
  },
  inbox: {
    title: 'Входящие',
    search: 'Поиск',
    searchPlaceholder: 'Номер, контрагент, текст документа',
    filter: 'Фильтр',
    kind: 'Вид документа',
    anyKind: 'Все виды',
    periodFrom: 'Период с',
    periodTo: 'по',
    counterparty: 'Контрагент (БИН или название)',
    amountMin: 'Сумма от',
    amountMax: 'Сумма до',
    resetFilters: 'Сбросить фильтр',
    sort: 'Сортировка',
    sortBy: { received: 'По поступлению', date: 'По дате документа', amount: 'По сумме', number: 'По номеру' },
    ascending: 'По возрастанию',
    selectAll: 'Выбрать все загруженные',
    clearSelection: 'Снять выбор',
    signSelected: 'Подписать выбранные',
    emptyTab: 'На этой вкладке нет документов',
    emptyFiltered: 'Ничего не найдено. Измените поиск или сбросьте фильтр.',
    loading: 'Загрузка…',
    loadingMore: 'Загружаем ещё…',
    keyboardHint: '↑↓ — выбор, Enter — открыть, A — принять, R — отклонить, S — подписать',
    listLabel: 'Список документов',
    noNumber: 'без номера',
    select: (title: string) => `Выбрать: ${title}`,
    noDocumentOpen: 'Выберите документ в списке'
  },
  doc: {
    number: 'Номер',
    date: 'Дата',
    period: 'Отчётный период',
    sender: 'Отправитель',
    recipient: 'Получатель',
    amount: 'Сумма',
    vat: 'НДС',
    status: 'Статус',
    received: 'Получен',
    bin: 'БИН',
    iin: 'ИИН',
    origin: { import: 'Импорт файла', operator: 'От оператора ЭДО', shared_link: 'По ссылке из письма' },
    originLabel: 'Источник',
    rejectReason: 'Причина отклонения',
    corrects: 'Исправляет документ',
    correctsMissing: (number: string) => `Исправляет документ № ${number} (его нет на этом компьютере)`,
    correctedBy: 'Исправлен документами',
    open: 'Открыть',
    back: 'К списку',
    file: 'Файл',
    attachments: 'Вложения',
    esfShort: 'ЭСФ',
    esfLabel: 'ЭСФ: уходит на портал ИС ЭСФ, здесь не подписывается',
    operatorPending: 'Ожидает проверки оператором',
    operatorStatus: 'Ответ оператора',
    loadError: 'Не удалось открыть документ',
    numberShort: (n: string) => `№ ${n}`
  },
  pdf: {
    page: 'Страница',
    of: (n: number) => `из ${n}`,
    prev: 'Предыдущая страница',
    next: 'Следующая страница',
    zoomIn: 'Увеличить',
    zoomOut: 'Уменьшить',
    find: 'Найти в документе',
    findButton: 'Найти',
    notFound: 'Не найдено',
    foundOn: (pages: string) => `Найдено на страницах: ${pages}`,
    loading: 'Открываем PDF…',
    failed: 'PDF не открылся: файл повреждён или это не PDF'
  },
  xml: {
    title: 'Содержимое XML',
    invalid: 'Файл не является корректным XML: показан как текст'
  },
  signatures: {
    title: 'Подписи',
    none: 'Подписей нет',
    own: 'Ваша подпись',
    sender: 'Подпись отправителя',
    valid: 'Действительна',
    invalid: 'Недействительна',
    unknown: 'Проверить не удалось',
    notChecked: 'Ещё не проверена',
    signer: 'Подписант',
    organisation: 'Организация',
    signedAt: 'Время подписи',
    algorithm: 'Алгоритм',
    verifiedAt: 'Проверено',
    chain: 'Цепочка сертификатов',
    issuedBy: (name: string) => `выдан: ${name}`,
    trusted: 'доверенный сертификат',
    intactChainNotChecked: 'Подпись цела и относится к этому документу; цепочка сертификатов не проверена',
    alg: {
      withHash: (sig: string, hash: string) => `${sig}, хеш ${hash}`,
      gost: (standard: string) => `ГОСТ ${standard}`,
      bits: (n: string) => `${n} бит`,
      key: 'ключ',
      streebog: (n: string) => `Стрибог-${n}`,
      unknown: (oid: string) => `неизвестный алгоритм (OID ${oid})`
    },
    // The core's warnings (core/src/signature/{verify,chain}.rs), recognised by their pattern.
    warn: {
      chainNotChecked: 'Цепочка сертификата до доверенного корня НУЦ РК и его отзыв не проверялись',
      signers: (n: string) => `Подписантов: ${n}; здесь проверен первый`,
      crlRejected: (issuer: string) => `CRL издателя «${issuer}» не принят: его подпись не прошла проверку`,
      crlStale: (issuer: string, day: string) =>
        `CRL издателя «${issuer}» устарел (следующее обновление ${day}); свежий отзыв мог не попасть в него`,
      revokedLater: (cert: string, day: string) => `Сертификат «${cert}» отозван ${day}, после времени проверки`,
      noCrl: (cert: string) => `Отзыв не проверен: нет CRL для сертификата «${cert}»`
    },
    why: {
      HASH_FAILURE: 'Документ изменён после подписания.',
      SIG_CRYPTO_FAILURE: 'Подпись не соответствует ключу подписанта.',
      FORMAT_FAILURE: 'Файл подписи повреждён или имеет неизвестный формат.',
      NO_SIGNER: 'В файле подписи нет подписанта.',
      NO_SIGNING_CERTIFICATE_FOUND: 'В подписи нет сертификата подписанта.',
      OUT_OF_BOUNDS: 'Срок действия сертификата истёк.',
      NOT_YET_VALID: 'Срок действия сертификата ещё не начался.',
      REVOKED: 'Сертификат отозван удостоверяющим центром.',
      NO_CERTIFICATE_CHAIN_FOUND: 'Не удалось построить цепочку до доверенного сертификата НУЦ РК.',
      SIG_CONSTRAINTS_FAILURE: 'Сертификат не предназначен для подписи документов.',
      CHAIN_CONSTRAINTS_FAILURE: 'В цепочке сертификатов есть сертификат, который не может выдавать другие.',
      ALGORITHM_NOT_SUPPORTED: 'Алгоритм подписи здесь не проверяется: проверьте её в NCALayer.',
      passed: 'Документ не изменён, подпись соответствует сертификату.'
    }
  },
  history: {
    title: 'История изменений',
    empty: 'Записей нет',
    chainOk: (n: number) => `Цепочка истории цела: проверено записей — ${n}`,
    chainBroken: (seq: number, problem: string) => `История нарушена в записи № ${seq}: ${problem}`,
    checking: 'Проверяем цепочку истории…',
    by: 'Кто',
    actions: {
      import: 'Импортирован',
      receive: 'Получен',
      received: 'Получен',
      view: 'Просмотрен',
      accept: 'Принят',
      reject: 'Отклонён',
      sign: 'Подписан',
      queue: 'Поставлен в очередь на отправку',
      mark_sent: 'Отправлен',
      mark_delivered: 'Доставлен',
      mark_failed: 'Ошибка отправки',
      retry: 'Повторная отправка',
      reopen: 'Решение пересмотрено',
      revoke: 'Отозван отправителем',
      act_created: 'Акт создан',
      act_created_from_document: 'Акт создан по документу',
      act_edited: 'Акт изменён',
      act_submitted: 'Отправлен в ЕРИР',
      register_answer: 'Ответ ЕРИР',
      statistics_linked: 'Статистика привязана',
      statistics_cleared: 'Статистика отвязана',
      deletion_requested: 'Запрошено удаление',
      deletion_request_sent: 'Запрос на удаление отправлен в ОРД'
    } as Record<string, string>
  },
  actions: {
    view: 'Просмотреть',
    accept: 'Принять',
    reject: 'Отклонить',
    sign: 'Подписать',
    retry: 'Отправить повторно',
    reopen: 'Пересмотреть решение',
    cancel: 'Отмена',
    confirm: 'Подтвердить',
    close: 'Закрыть',
    retryShort: 'Повторить',
    save: 'Сохранить',
    none: 'Для документа в этом статусе действий нет'
  },
  accept: {
    title: 'Принять документ',
    explain:
      'Документ будет отмечен как принятый. Затем его нужно подписать: после подписи решение уйдёт отправителю через оператора ЭДО.',
    confirm: 'Принять'
  },
  reject: {
    title: 'Отклонить документ',
    explain:
      'Документ будет отклонён с указанной причиной. Причину нужно подписать: после подписи она уйдёт отправителю через оператора ЭДО.',
    reason: 'Причина отклонения',
    common: 'Частые причины',
    reasons: [
      'Неверная сумма',
      'Неверный отчётный период',
      'Неверные реквизиты (БИН, наименование)',
      'Документ дублирует уже полученный',
      'Нет подтверждающих документов'
    ],
    /** Beside the reason: the presets' language (setting `reasonLanguage`) and why. */
    presetsNote: (l: Lang) =>
      `Частые причины вставляются ${{ ru: 'на русском', kk: 'на казахском', en: 'на английском' }[l]}: причина подписывается и уходит маркетплейсу, он читает по-русски. Язык причин меняется в настройках.`,
    required: 'Укажите причину отклонения: она уйдёт отправителю вместе с подписью',
    tooLong: (n: number, max: number) =>
      `Причина слишком длинная: ${p(n, '# символ', '# символа', '# символов')}, допустимо не больше ${max}`,
    counter: (n: number, max: number) => `${n} из ${max}`,
    confirm: 'Отклонить'
  },
  sign: {
    title: 'Подписание',
    what: 'Будут подписаны',
    service: 'Служба подписи',
    serviceUnknown: 'служба подписи не настроена',
    serviceOffline: 'не отвечает',
    pinned: 'сертификат службы закреплён',
    notPinned: 'сертификат службы не закреплён',
    onePin:
      'NCALayer один раз попросит выбрать сертификат и ввести пароль (PIN) — для всех документов сразу.',
    decisionAccept: 'документ (принятие)',
    decisionReject: 'причина отклонения',
    start: 'Подписать',
    cancel: 'Отменить подписание',
    waitingForPin: 'Выберите сертификат и введите пароль в окне NCALayer',
    progress: (done: number, total: number) => `Подписано ${done} из ${total}`,
    /** NCALayer has answered for more documents than are checked and kept yet. */
    checking: (signed: number, total: number) => `NCALayer подписал ${signed} из ${total}, проверяем подписи…`,
    signed: 'Подписан',
    notSigned: 'Не подписан',
    summary: (ok: number, failed: number) =>
      failed === 0
        ? `Готово: ${p(ok, 'подписан # документ', 'подписано # документа', 'подписано # документов')}`
        : `Подписано: ${ok}, не подписано: ${failed}`,
    cancelled: 'Подписание отменено: ни один документ не подписан',
    nothing: 'Нет документов на подпись',
    notReady: 'Подписать можно только принятые или отклонённые документы',
    print: 'Распечатать итог',
    outboxNote: 'Подписанные решения отправятся оператору при следующей синхронизации.'
  },
  outbox: {
    title: 'Исходящие',
    empty: 'Очередь пуста: всё отправлено',
    kind: { signature: 'Подпись', rejection: 'Отклонение' },
    state: { pending: 'Ждёт отправки', sending: 'Отправляется', failed: 'Ошибка отправки' },
    attempts: (n: number) => `Попыток: ${n}`,
    nextAttempt: (at: string) => `Следующая попытка: ${at}`,
    why: 'Причина',
    waitingOffline: 'Нет связи с оператором',
    lastSynced: 'Последняя синхронизация',
    never: 'ещё не было',
    syncNow: 'Синхронизировать',
    syncing: 'Синхронизация…',
    syncProgress: (seen: number, downloaded: number) => `Найдено: ${seen}, загружено: ${downloaded}`,
    syncDone: (added: number, sent: number) =>
      `Готово: ${p(added, '# новый документ', '# новых документа', '# новых документов')}, ${p(sent, 'отправлено # решение', 'отправлено # решения', 'отправлено # решений')}`,
    noAccount: 'Учётная запись оператора не подключена: синхронизировать нечего.',
    setAside: (n: number) =>
      `${p(n, '# документ отложен', '# документа отложены', '# документов отложены')}: оператор прислал их с ошибкой. Остальные получены; отложенные будут запрошены снова при следующей синхронизации.`
  },
  notifications: {
    title: 'Уведомления',
    bell: (n: number) => (n > 0 ? `Уведомления: непрочитанных ${n}` : 'Уведомления'),
    errors: 'Ошибки',
    reminders: 'Напоминания',
    emptyErrors: 'Ошибок нет',
    emptyReminders: 'Напоминаний нет',
    markRead: 'Отметить прочитанными',
    openDocument: 'Открыть документ',
    /** A document waiting longer than the reminder setting: for a decision, or for its signature. */
    waiting: (kind: string, number: string | null, days: number, needs: 'decision' | 'signature') =>
      `${kind}${number ? ` № ${number}` : ''} ждёт ${needs === 'decision' ? 'решения' : 'подписи'} ${p(days, '# день', '# дня', '# дней')}`
  },
  settings: {
    title: 'Настройки',
    account: 'Учётная запись оператора ЭДО',
    accountName: 'Название',
    operatorUrl: 'Адрес API оператора',
    token: 'Токен доступа',
    tokenHint: 'Токен вводится один раз и хранится в системном хранилище ключей. Здесь он больше не показывается.',
    tokenKept: 'Токен сохранён в системном хранилище ключей',
    addAccount: 'Добавить учётную запись',
    replaceAccount: 'Подключить заново',
    accountAdded: (name: string) => `Учётная запись «${name}» подключена`,
    organisation: 'Организация',
    sellerBin: 'БИН или ИИН',
    sellerBinHint: 'Подписи принимаются только с ключом сотрудника этой организации или, для ИП, с личным ключом предпринимателя',
    binInvalid: 'БИН или ИИН должен состоять из 12 цифр',
    sellerKind: 'Продавец',
    sellerKindBin: 'Организация (БИН)',
    sellerKindIin: 'Индивидуальный предприниматель (ИИН)',
    signing: 'Служба подписи',
    signerUrl: 'Адрес NCALayer',
    signerPin: 'Отпечаток сертификата службы (SHA-256)',
    signerPinHint: '64 шестнадцатеричных символа; пусто — проверить при первом подключении',
    pinInvalid: 'Отпечаток — 64 шестнадцатеричных символа',
    language: 'Язык',
    reasonLanguage: 'Язык частых причин отклонения',
    reasonLanguageHint: 'Причина отклонения подписывается и уходит маркетплейсу, который читает по-русски. Меняйте, только если получатель читает другой язык.',
    dataDir: 'Папка данных',
    dataDirHint: 'Новая папка начнёт использоваться после перезапуска программы',
    limits: 'Ограничения',
    maxFileSize: 'Максимальный размер файла, МБ',
    sizeInvalid: 'Укажите положительное число мегабайт',
    reminderDays: 'Напоминать о неподписанных документах через (дней)',
    saved: 'Сохранено',
    required: 'Заполните поле'
  },
  diagnostics: {
    title: 'Диагностика',
    connection: 'Проверка связи',
    ncalayer: 'NCALayer',
    operator: 'Оператор ЭДО',
    check: 'Проверить',
    checkAgain: 'Проверить снова',
    checking: 'Проверяем…',
    ok: 'Связь есть',
    versions: 'Версии',
    app: 'Программа',
    core: 'Ядро',
    os: 'Система',
    webview: 'Веб-движок',
    dataDir: 'Папка данных',
    documents: 'Документов',
    historyIntact: 'Цепочка истории',
    intact: 'цела',
    broken: 'нарушена',
    save: 'Сохранить отчёт диагностики',
    savedTo: (path: string) => `Отчёт сохранён: ${path}`,
    noSecrets: 'В отчёт не попадают токены, пароли и содержимое документов.',
    advice: {
      signer_unavailable:
        'NCALayer не запущен: запустите NCALayer из меню «Пуск» и нажмите «Проверить снова».',
      certificate_pin:
        'По адресу NCALayer отвечает программа с другим сертификатом. Не подписывайте документы; проверьте адрес и отпечаток в настройках.',
      signer_protocol: 'По этому адресу отвечает не NCALayer. Проверьте адрес службы подписи в настройках.',
      timeout: 'Служба не ответила вовремя. Проверьте, что она запущена, и повторите.',
      operator_unreachable: 'Нет связи с оператором ЭДО. Проверьте подключение к интернету и повторите.',
      unauthorized: 'Оператор не принял токен. Получите новый токен и подключите учётную запись заново.',
      not_configured: 'Не настроено: укажите адрес в настройках.',
      other: 'Проверка не прошла. Сохраните отчёт диагностики и отправьте его в поддержку.'
    } as Record<string, string>
  },
  firstRun: {
    title: 'Документов пока нет',
    intro: 'Закрывающие документы можно получить тремя способами. Или сначала посмотрите пример.',
    connectTitle: 'Подключить учётную запись оператора ЭДО',
    connectText: 'Документы будут приходить сами; решения и подписи уйдут оператору.',
    connect: 'Добавить учётную запись',
    importTitle: 'Импортировать скачанные файлы',
    importText: 'PDF или XML, скачанные с сайта оператора, вместе с файлами подписей (.cms, .p7s, .sig).',
    importButton: 'Импорт файлов',
    linkTitle: 'Открыть ссылку из письма',
    link: 'Ссылка',
    code: 'Код авторизации',
    openLink: 'Открыть',
    demoTitle: 'Посмотреть на примере',
    demo: 'Попробовать демо',
    demoLoaded: (n: number) => `Загружено демо: ${p(n, '# документ', '# документа', '# документов')}`,
    imported: (ok: number, failed: number) => `Импортировано: ${ok}, с ошибками: ${failed}`
  },
  acts: {
    title: 'Акты для ЕРИР',
    subtitle: 'Единый реестр интернет-рекламы (ЕРИР): акты уходят через оператора рекламных данных (ОРД)',
    loading: 'Загружаем акты…',
    empty: 'Актов пока нет. Откройте подписанный закрывающий документ и нажмите «Создать акт для ЕРИР».',
    createFromDocument: 'Создать акт для ЕРИР',
    creating: 'Создаём акт…',
    back: 'К списку актов',
    actTitle: (number: string) => (number ? `Акт № ${number}` : 'Акт без номера'),
    columns: { number: 'Номер', date: 'Дата', contract: 'Договор', amount: 'Сумма', status: 'Статус в ЕРИР', deadline: 'Срок' },
    registerStatus: {
      local: 'Не отправлен',
      draft: 'Черновик в ОРД',
      processing: 'На проверке в ЕРИР',
      accepted: 'Принят',
      rejected: 'Отклонён'
    } as Record<string, string>,
    deadline: {
      open: (day: string) => `Срок: до ${day}`,
      due_soon: (day: string, n: number) => `Срок истекает ${day}: ${p(n, 'остался # день', 'осталось # дня', 'осталось # дней')}`,
      overdue: (day: string) => `Просрочено: срок был ${day}`,
      registered: () => 'Зарегистрировано'
    },
    fields: {
      contract: 'Договор или дополнительное соглашение',
      number: 'Номер акта',
      date: 'Дата акта',
      customerRole: 'Роль заказчика',
      executorRole: 'Роль исполнителя',
      periodFrom: 'Период с',
      periodTo: 'Период по',
      amount: 'Сумма акта, ₽',
      vatIncluded: 'Сумма, включая НДС',
      nonAdvertisingServices: 'Акт включает услуги, не являющиеся интернет-рекламой'
    },
    roles: {
      advertiser: 'Рекламодатель',
      agency: 'Рекламное агентство',
      distributor: 'Рекламораспространитель',
      ad_system_operator: 'Оператор рекламной системы'
    },
    datePlaceholder: 'ГГГГ-ММ-ДД',
    allocation: {
      title: 'Разаллокация (распределение) по изначальным договорам',
      initialContract: 'Изначальный договор',
      searchHint: 'Номер, идентификатор или контрагент',
      amount: 'Сумма, ₽',
      vatIncluded: 'Включая НДС',
      add: 'Добавить строку',
      remove: 'Удалить строку',
      line: (n: number) => `Строка ${n}`,
      empty: 'Строк нет: добавьте изначальный договор',
      linked: (n: number) => `Статистика: ${n}`
    },
    tabs: { act: 'Акт', statistics: 'Статистика', history: 'История изменений' },
    statistics: {
      empty: 'Статистики нет',
      creative: 'Креатив (erid)',
      platform: 'Площадка',
      impressions: 'Показы',
      amount: 'Сумма',
      firstShown: 'Первый показ',
      deadline: 'Срок',
      linkTo: 'Строка распределения',
      link: 'Привязать',
      clear: 'Отвязать',
      linkedHere: (n: number) => `Привязана к строке ${n}`,
      linkedElsewhere: (id: number) => `Привязана к акту № ${id}`,
      saveFirst: 'Сохраните акт хотя бы с одной строкой распределения, чтобы привязать статистику'
    },
    fromDocument: 'Создан по документу',
    openDocument: 'Открыть документ',
    save: 'Сохранить',
    saved: 'Сохранено',
    submit: 'Отправить в ЕРИР',
    submitting: 'Отправляем в ЕРИР…',
    fixFirst: 'Исправьте ошибки в отмеченных полях, чтобы отправить акт',
    otherErrors: 'Другие ошибки',
    register: 'ЕРИР',
    processing: 'Реестр ещё проверяет акт',
    refresh: 'Обновить статус',
    accepted: 'ЕРИР принял акт',
    rejected: 'ЕРИР отклонил акт: исправьте отмеченные поля и отправьте снова',
    readOnly: 'Акт в реестре: изменить его нельзя, можно только запросить удаление',
    requestDeletion: 'Запросить удаление',
    deletionTitle: 'Запрос на удаление акта из ЕРИР',
    deletionReason: 'Причина удаления',
    deletionHint: 'Акт не удаляется: запрос с причиной уходит в ОРД, оператор обработает его вручную.',
    deletionSent: 'Запрос на удаление отправлен в ОРД',
    deletionKept: 'Запрос на удаление записан, но не отправлен: он уйдёт при следующей попытке',
    deletionRequested: 'Удаление запрошено',
    reminder: {
      due_soon: (creative: string, day: string) => `Статистика креатива ${creative}: срок регистрации в ЕРИР истекает ${day}`,
      overdue: (creative: string, day: string) => `Статистика креатива ${creative} не зарегистрирована в ЕРИР: срок истёк ${day}`
    },
    openAct: 'Открыть акт'
  },
  errors: {
    title: 'Ошибка',
    tryAgain: 'Попробуйте ещё раз',
    unknown: 'Что-то пошло не так. Подробности записаны в журнал.',
    byCode: {
      not_found: 'Не найдено: документ или запись уже удалены либо ещё не загружены. Обновите список.',
      invalid_transition: 'Это действие уже недоступно: документ изменился. Список обновлён.',
      invalid_input: 'Данные не приняты: проверьте введённые значения и повторите. Ничего не изменено.',
      unsupported_file:
        'Этот файл не принят: программа открывает PDF и XML с файлами подписей (.cms, .p7s, .sig). Выберите другой файл.',
      file_too_large:
        'Файл больше допустимого размера. Выберите другой файл или увеличьте «Максимальный размер файла» в настройках.',
      unsafe_xml:
        'XML не принят из соображений безопасности (есть DOCTYPE или слишком глубокая вложенность). Попросите отправителя прислать обычный XML.',
      storage: 'Не удалось сохранить данные на этом компьютере: изменение не сохранено. Проверьте место на диске и повторите.',
      database_too_new: 'База данных создана более новой версией Qoltanba. Обновите программу; файл не изменён.',
      not_a_database:
        'В папке данных не база Qoltanba или она повреждена; файл не изменён. Укажите другую папку данных или восстановите файл из резервной копии.',
      history_broken:
        'История документов нарушена: записи изменены вне программы. Сохраните отчёт диагностики и обратитесь в поддержку.',
      keychain: 'Системное хранилище ключей недоступно. Разблокируйте его (или войдите в систему заново) и повторите; данные не изменены.',
      signer_unavailable: 'NCALayer не запущен: запустите NCALayer и повторите.',
      signer_protocol: 'По адресу службы подписи отвечает не NCALayer. Проверьте адрес в настройках.',
      signer_error: 'NCALayer сообщил об ошибке: документ не подписан. Проверьте ключ ЭЦП и пароль и повторите.',
      user_cancelled: 'Подписание отменено: документы не подписаны.',
      timeout: 'Ответ не пришёл вовремя. Проверьте, что служба запущена и есть связь, и повторите.',
      certificate_pin:
        'Сертификат службы подписи не совпадает с закреплённым: не подписывайте. Проверьте адрес и отпечаток в настройках.',
      signature_invalid:
        'Подпись не прошла проверку и не сохранена. Подпишите ещё раз; если ошибка повторится, сохраните отчёт диагностики.',
      wrong_signer: 'Сертификат не принадлежит продавцу: выберите ключ ЭЦП вашей организации или, если вы ИП, свой личный ключ.',
      operator_unreachable: 'Нет связи с оператором ЭДО. Проверьте подключение к интернету и повторите.',
      operator_rejected: 'Оператор ЭДО не принял запрос. Проверьте данные и повторите; если отказ повторится, обратитесь к оператору.',
      unauthorized: 'Оператор не принял токен: получите новый токен и подключите учётную запись заново.',
      io: 'Не удалось прочитать или записать файл. Проверьте, что файл на месте и на диске есть место, и повторите.'
    } satisfies Record<ErrorCode, string>
  }
};

export type Messages = typeof ru;
