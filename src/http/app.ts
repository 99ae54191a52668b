/** Builds the Fastify application: routes, auth, error mapping and the OpenAPI document. */
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { LinkSigner } from '../channels/email/index.js';
import type { Ingest, SourceRejections, Sources } from '../collect/index.js';
import { ContentInputSchema, type Content } from '../content/index.js';
import type { EventLog } from '../log/index.js';
import type { Metrics } from '../metrics.js';
import type { Jobs } from '../jobs/index.js';
import { JourneyDefinitionSchema, type Journeys } from '../journeys/index.js';
import { PolicyDocumentSchema, type Policy } from '../policy/index.js';
import type { Pipeline } from '../pipeline/index.js';
import type { ComputedTraits } from '../profiles/index.js';
import { ConditionSchema, LifecycleModelSchema } from '../standing/index.js';
import { acceptManagementBodies, defaultEmptyBodies } from './body.js';
import { installErrorHandler } from './error-handler.js';
import { activityRoutes } from './routes/activity.js';
import { attributionRoutes } from './routes/attribution.js';
import { computedTraitRoutes } from './routes/computed-traits.js';
import { contentRoutes } from './routes/content.js';
import { eventRoutes } from './routes/events.js';
import { householdRoutes } from './routes/households.js';
import { jobRoutes } from './routes/jobs.js';
import { journeyRoutes } from './routes/journeys.js';
import { policyRoutes } from './routes/policy.js';
import { messageRoutes } from './routes/messages.js';
import { lifecycleRoutes } from './routes/lifecycle.js';
import { pipelineRoutes } from './routes/pipeline.js';
import { segmentRoutes, type SegmentRouteDeps } from './routes/segments.js';
import { profileRoutes, type ProfileRouteDeps } from './routes/profiles.js';
import { opsRoutes } from './routes/ops.js';
import { sdkSettingsRoutes } from './routes/sdk-settings.js';
import { sourceRoutes } from './routes/sources.js';
import { trackingRoutes } from './routes/tracking.js';
import type { AdminTokens } from './tokens.js';
import { managementAuth } from './auth.js';
import { sessionRoutes } from './routes/session.js';
import { userRoutes } from './routes/users.js';
import type { Users } from '../users/index.js';
import { channelHookRoutes, type ChannelHookDeps } from './routes/channel-hooks.js';
import { channelRoutes, type ChannelRouteDeps } from './routes/channels.js';
import { destinationRoutes, type DestinationRouteDeps } from './routes/destinations.js';
import { emailLinkRoutes } from './routes/email-links.js';
import { reportRoutes } from './routes/reports.js';
import { createSchemaCompilers, type SchemaCompilers } from './schema-compilers.js';
import { consoleRoutes } from './console.js';
import type { Analytics } from '../analytics/index.js';

export interface HttpDeps extends ProfileRouteDeps, SegmentRouteDeps, ChannelRouteDeps, DestinationRouteDeps, Pick<ChannelHookDeps, 'verify'> {
  jobs: Jobs;
  journeys: Journeys;
  analytics: Analytics;
  policy: Policy;
  pipeline: Pipeline;
  /** Touchpoint's own sources: their events stay out of the event debugger. */
  internalSourceIds: string[];
  now(): number;
  /** Verifies the tokens of tracked links and unsubscribe links (the public /t and /u pages). */
  links: { signer: LinkSigner };
  computed: ComputedTraits;
  content: Content;
  sources: Sources;
  rejections: SourceRejections;
  ingest: Ingest;
  log: EventLog;
  metrics: Metrics;
  adminTokens: AdminTokens;
  users: Users;
  checkReady(): Promise<Record<string, unknown>>;
  limits: { maxBatchBytes: number; maxMessageBytes: number };
  logger: FastifyBaseLogger | boolean;
  version: string;
  /** Whose X-Forwarded-* headers to believe (config trustProxy): request.protocol and request.host follow them. */
  trustProxy: boolean | string;
  /** Compilers shared with the other apps this process builds (schema-compilers.ts); this app's own otherwise. */
  schemaCompilers?: SchemaCompilers;
}

export async function createHttpApp(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: typeof deps.logger === 'object' ? deps.logger : undefined,
    logger: typeof deps.logger === 'boolean' ? deps.logger : undefined,
    // One line per tracking request would drown the log at thousands of requests a second.
    logController: new LogController({ disableRequestLogging: true }),
    // verbose: validation errors carry their schema, so that messages can name what is allowed (validation-message.ts).
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: false, verbose: true } },
    return503OnClosing: true,
    trustProxy: deps.trustProxy,
    // Many routes share a schema (the error answers): each is compiled once.
    schemaController: { compilersFactory: deps.schemaCompilers ?? createSchemaCompilers() },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandler(app, deps.metrics);
  acceptManagementBodies(app);
  app.addSchema(ConditionSchema);
  app.addSchema(LifecycleModelSchema);
  app.addSchema(ContentInputSchema);
  app.addSchema(JourneyDefinitionSchema);
  app.addSchema(PolicyDocumentSchema);
  await app.register(swagger, {
    // Shared schemas keep their own names (Condition, LifecycleModel, ContentInput) in components.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    openapi: {
      info: { title: 'Touchpoint API', version: deps.version, description: 'Tracking (Segment-compatible) and management API.' },
      components: {
        securitySchemes: {
          writeKey: { type: 'http', scheme: 'basic', description: 'The source write key as user name, empty password.' },
          adminToken: { type: 'http', scheme: 'bearer' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'tp_session',
            description: 'Signed in at the console (POST /api/session); changes also need the x-csrf-token header.',
          },
        },
      },
    },
  });

  await app.register(async (scope) => {
    await trackingRoutes(scope, { ...deps, ...deps.limits });
    await sdkSettingsRoutes(scope, deps);
  });
  await app.register(async (scope) => {
    defaultEmptyBodies(scope);
    scope.addHook('onRequest', managementAuth(deps));
    await sourceRoutes(scope, deps);
    await eventRoutes(scope, deps);
    await profileRoutes(scope, deps);
    await householdRoutes(scope, deps);
    await activityRoutes(scope, deps);
    await computedTraitRoutes(scope, deps);
    await pipelineRoutes(scope, deps);
    await segmentRoutes(scope, deps);
    await lifecycleRoutes(scope, deps);
    await jobRoutes(scope, deps);
    await contentRoutes(scope, deps);
    await journeyRoutes(scope, deps);
    await policyRoutes(scope, deps);
    await messageRoutes(scope, deps);
    await channelRoutes(scope, deps);
    await destinationRoutes(scope, deps);
    await reportRoutes(scope, deps);
    await attributionRoutes(scope);
    await userRoutes(scope, deps);
  });
  await app.register(async (scope) => sessionRoutes(scope, deps));
  await channelHookRoutes(app, deps);
  await emailLinkRoutes(app, { signer: deps.links.signer, responses: deps.channels.responses.email, now: deps.now });
  await opsRoutes(app, deps);
  await consoleRoutes(app);
  return app;
}
