// A town's site may live under /{townId}/… (#20, decision 0014): a town id equal to the first path
// segment of a citizen page, the API or the office devices would hide that page — /buchen of every
// town would answer as the town „buchen“. test/http/reserved-town-ids.test.ts compares this list
// with the routes of the app, so a new page cannot forget its segment here.
export const RESERVED_TOWN_IDS: ReadonlySet<string> = new Set([
  'angebot',
  'api',
  'barrierefreiheit',
  'buchen',
  'control',
  'display',
  'erinnerung',
  'gebaerdensprache',
  'healthz',
  'kiosk',
  'leichte-sprache',
  'logo',
  'metrics',
  'office-static',
  'readyz',
  'staff',
  'standorte',
  'static',
  'status',
  'termin',
  'termin-link',
  'transparenz',
  'verlosung',
  'warteliste',
]);
