/**
 * The demo brand as data: Stride Athletics, a fitness-gear retailer with a
 * web shop, an app, stores with POS and loyalty cards, an email platform,
 * SMS, paid search, social ads and a call centre. Nothing here does I/O.
 */
import type { Channel } from '../collect/index.js';

export type SourceKey = 'web' | 'app' | 'pos' | 'loyalty' | 'email' | 'sms' | 'search' | 'social' | 'callCentre';

export interface BrandSource {
  key: SourceKey;
  name: string;
  channel: Channel;
}

export const BRAND_NAME = 'Stride Athletics';

export const SOURCES: readonly BrandSource[] = [
  { key: 'web', name: 'Web shop', channel: 'web' },
  { key: 'app', name: 'Stride app', channel: 'app' },
  { key: 'pos', name: 'Store POS', channel: 'store' },
  { key: 'loyalty', name: 'Loyalty programme', channel: 'store' },
  { key: 'email', name: 'Email platform', channel: 'email' },
  { key: 'sms', name: 'SMS gateway', channel: 'sms' },
  { key: 'search', name: 'Paid search', channel: 'search' },
  { key: 'social', name: 'Social ads', channel: 'social' },
  { key: 'callCentre', name: 'Call centre', channel: 'call_center' },
];

export interface Product {
  id: string;
  name: string;
  category: string;
  price: number;
}

const line = (category: string, prefix: string, items: [string, number][]): Product[] =>
  items.map(([name, price], i) => ({ id: `${prefix}-${String(i + 1).padStart(2, '0')}`, name, category, price }));

export const PRODUCTS: readonly Product[] = [
  ...line('Running shoes', 'shoe', [
    ['Glide 5 road shoe', 139],
    ['Tempo racer', 179],
    ['Trail Grip 3', 149],
    ['Cushion Max', 159],
    ['Kids Sprint', 69],
    ['Carbon Elite', 249],
  ]),
  ...line('Apparel', 'app', [
    ['Breeze running tee', 35],
    ['Thermal long sleeve', 55],
    ['Race shorts', 40],
    ['Storm jacket', 129],
    ['Compression tights', 65],
    ['Merino socks (3)', 25],
  ]),
  ...line('Watches & GPS', 'gps', [
    ['Pace GPS watch', 249],
    ['Summit multisport watch', 449],
    ['Heart-rate strap', 79],
    ['Fit band', 99],
  ]),
  ...line('Nutrition', 'nut', [
    ['Energy gels (12)', 29],
    ['Electrolyte tabs', 12],
    ['Recovery shake', 39],
    ['Oat bars (10)', 18],
  ]),
  ...line('Accessories', 'acc', [
    ['Hydration vest', 89],
    ['Head torch', 45],
    ['Foam roller', 30],
    ['Running cap', 22],
    ['Phone armband', 19],
  ]),
];

export const CATEGORIES: readonly string[] = [...new Set(PRODUCTS.map((p) => p.category))];

export interface Store {
  id: string;
  name: string;
  city: string;
}

export const STORES: readonly Store[] = [
  { id: 'st-par', name: 'Stride Paris Bastille', city: 'Paris' },
  { id: 'st-lyo', name: 'Stride Lyon Part-Dieu', city: 'Lyon' },
  { id: 'st-bor', name: 'Stride Bordeaux', city: 'Bordeaux' },
  { id: 'st-lil', name: 'Stride Lille', city: 'Lille' },
  { id: 'st-nan', name: 'Stride Nantes', city: 'Nantes' },
];

export interface Campaign {
  name: string;
  source: string;
  medium: string;
  /** Where it runs: the ad source whose clicks bring customers in. */
  via: 'search' | 'social';
  /** The category it advertises. */
  category: string;
}

export const CAMPAIGNS: readonly Campaign[] = [
  { name: 'spring-running', source: 'google', medium: 'cpc', via: 'search', category: 'Running shoes' },
  { name: 'gps-watches', source: 'google', medium: 'cpc', via: 'search', category: 'Watches & GPS' },
  { name: 'brand-search', source: 'google', medium: 'cpc', via: 'search', category: 'Apparel' },
  { name: 'marathon-season', source: 'instagram', medium: 'paid_social', via: 'social', category: 'Nutrition' },
  { name: 'trail-weekend', source: 'facebook', medium: 'paid_social', via: 'social', category: 'Accessories' },
];

export const FIRST_NAMES: readonly string[] = [
  'Ann',
  'Ben',
  'Chloé',
  'David',
  'Eva',
  'Farid',
  'Grace',
  'Hugo',
  'Inès',
  'Jonas',
  'Karin',
  'Léo',
  'Maya',
  'Noah',
  'Olga',
  'Paul',
  'Rosa',
  'Sami',
  'Tess',
  'Yann',
];
