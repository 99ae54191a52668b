// Bundled by esbuild for the browser SDK test: the unmodified RudderStack JavaScript SDK (v3, plugins bundled).
import { RudderAnalytics } from '@rudderstack/analytics-js/bundled';

window.runRudder = (writeKey, dataPlaneUrl) =>
  new Promise((resolve) => {
    const analytics = new RudderAnalytics();
    analytics.load(writeKey, dataPlaneUrl, { configUrl: dataPlaneUrl, logLevel: 'ERROR' });
    analytics.ready(() => {
      analytics.identify('web-rud-1', { email: 'rud@example.com' });
      analytics.track('Added To Cart', { sku: 'SKU-2' });
      analytics.page('Shop', 'Cart');
      resolve(analytics.getAnonymousId());
    });
  });
