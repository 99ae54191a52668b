/**
 * The seven reports as the console presents them: a title, the question each
 * answers, the console's own defaults where the API has none (the funnel's
 * steps), and which parameters the form shows up front (the others are
 * under "More parameters").
 */

export interface ReportInfo {
  name: string;
  title: string;
  answers: string;
  /** Values the console fills in when the address has none (the API's own defaults need no copy here). */
  defaults?: Record<string, string>;
  /** Shown up front; the rest of the declared parameters are folded. */
  main: string[];
}

export const REPORTS: ReportInfo[] = [
  {
    name: 'funnel',
    title: 'Funnel',
    answers: 'Where do customers drop out between steps, across channels and devices, and how long do they take?',
    defaults: { steps: 'Product Viewed > Product Added > Order Completed' },
    main: ['steps', 'window', 'from', 'to', 'by'],
  },
  {
    name: 'lifecycle-flow',
    title: 'Lifecycle flow',
    answers: 'How many customers are in each lifecycle stage over time, and where did the customers of the start stand at the end?',
    main: ['from', 'to', 'interval'],
  },
  {
    name: 'attribution',
    title: 'Attribution',
    answers: 'Which channels, campaigns or journeys were on the path to conversions — seven models side by side?',
    main: ['from', 'to', 'by', 'lookback'],
  },
  {
    name: 'cross-channel',
    title: 'Cross-channel value',
    answers: 'Are customers who use more channels worth more: revenue per customer, repeat purchases and retention?',
    main: ['from', 'to', 'retention'],
  },
  {
    name: 'ropo',
    title: 'ROPO and showrooming',
    answers: 'How many store purchases were researched online first, and how many online purchases followed a store visit?',
    main: ['from', 'to', 'lookback', 'online'],
  },
  {
    name: 'cube',
    title: 'Segment × channel × category',
    answers: 'Where does value sit at the intersection of segments, channels and product categories?',
    main: ['from', 'to', 'dimensions', 'segment', 'channel', 'category'],
  },
  {
    name: 'experiments',
    title: 'Experiments and holdouts',
    answers: 'Did it work? Journey splits and the global control group: conversion, lift with its interval, p-value.',
    main: ['from', 'to', 'journey'],
  },
];

export const reportInfo = (name: string): ReportInfo | undefined => REPORTS.find((r) => r.name === name);
