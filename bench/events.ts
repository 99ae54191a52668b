/** Synthetic but realistic tracking messages for benchmarks. */
export function benchMessage(run: string, n: number): Record<string, unknown> {
  return {
    type: 'track',
    userId: `user-${n % 5000}`,
    anonymousId: `anon-${n % 7919}`,
    event: 'Product Viewed',
    messageId: `${run}-${n}`,
    timestamp: new Date(Date.UTC(2026, 10, 23, 12, 0, 0) + n).toISOString(),
    properties: { sku: `SKU-${n % 977}`, price: 19.99, currency: 'EUR', category: 'running shoes', url: `https://shop.example/p/${n % 977}` },
    context: {
      library: { name: 'touchpoint-bench', version: '1.0.0' },
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
      page: { path: '/p/1', referrer: 'https://www.google.com/' },
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
