// Bundled by esbuild for the browser SDK test: the unmodified analytics.js (analytics-next).
import { AnalyticsBrowser } from '@segment/analytics-next';

window.runSegment = async (writeKey, cdnURL) => {
  const [analytics] = await AnalyticsBrowser.load({ writeKey, cdnURL });
  await analytics.identify('web-seg-1', { email: 'web@example.com' });
  await analytics.track('Product Viewed', { sku: 'SKU-1' });
  await analytics.page('Shop', 'Home');
  return analytics.user().anonymousId();
};
