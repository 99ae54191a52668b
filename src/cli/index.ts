/**
 * cli: the `touchpoint` command. Each command loads the configuration, opens
 * what it needs and closes it again; `serve` runs until SIGINT/SIGTERM.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_HALF_LIFE } from '../analytics/index.js';
import { CHANNELS } from '../collect/index.js';
import { ConfigError } from '../config.js';
import { TouchpointError } from '../errors.js';
import { VERSION } from '../main.js';
import { MESSAGE_CHANNELS } from '../policy/index.js';
import { ROLES } from '../users/index.js';
import { ATTRIBUTION_FORMATS, attribution } from './attribution.js';
import type { CliContext } from './context.js';
import { importFile } from './import.js';
import { listJourneys, setJourneyStatus, showJourney } from './journeys.js';
import { migrate } from './migrate.js';
import { setPolicy, showPolicy, simulatePolicy } from './policy.js';
import { replay } from './replay.js';
import { runReport } from './report.js';
import { serve } from './serve.js';
import { createSource, listSources, rotateKey } from './sources.js';
import { createUser, deleteUser, listUsers, setPassword } from './users.js';

export type { CliContext } from './context.js';

export function buildCli(ctx: CliContext): Command {
  const program = new Command('touchpoint')
    .description('Touchpoint: collect, unify, understand and act on every customer interaction.')
    .version(VERSION)
    .option('-c, --config <file>', 'JSON config file (settings as in docs/configuration.md)')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .exitOverride();
  const global = () => program.opts<{ config?: string }>();

  program
    .command('serve')
    .description('Run the HTTP server (tracking API, management API, metrics)')
    .option('-p, --port <port>', 'port to listen on (default 4000, or TOUCHPOINT_PORT)')
    .option('--host <host>', 'address to listen on (default 0.0.0.0, or TOUCHPOINT_HOST)')
    .action((opts) => serve(ctx, { ...global(), ...opts }));

  program
    .command('migrate')
    .description('Bring the database schema up to date (serve also does this at start)')
    .action(() => migrate(ctx, global()));

  const sources = program.command('sources').description('Manage sources and their write keys');
  sources
    .command('create <name>')
    .description('Create a source and print its write key (shown only once)')
    .requiredOption('--channel <channel>', `one of ${CHANNELS.join(', ')}`)
    .option('--json', 'print JSON')
    .action((name, opts) => createSource(ctx, name, { ...global(), ...opts }));
  sources
    .command('list')
    .description('List sources')
    .option('--json', 'print JSON')
    .action((opts) => listSources(ctx, { ...global(), ...opts }));
  sources
    .command('rotate-key <source>')
    .description('Give a source (id or name) a new write key')
    .option('--grace <seconds>', 'keep the old key working this long', '0')
    .option('--json', 'print JSON')
    .action((source, opts) => rotateKey(ctx, source, { ...global(), ...opts }));

  const users = program.command('users').description('Users who sign in to the console, and their roles (docs/console.md)');
  users
    .command('create <email>')
    .description('Add a user; asks for the password twice without echo (or reads one line of stdin)')
    .addOption(new Option('--role <role>', 'what the user may do').choices(ROLES).makeOptionMandatory())
    .option('--name <name>', 'the name shown in the console')
    .option('--password-stdin', 'read the password as one line of stdin')
    .option('--json', 'print JSON')
    .action((email, opts) => createUser(ctx, email, { ...global(), ...opts }));
  users
    .command('list')
    .description('List users and their roles')
    .option('--json', 'print JSON')
    .action((opts) => listUsers(ctx, { ...global(), ...opts }));
  users
    .command('set-password <email>')
    .description('Give a user a new password (ends their sessions and their lock-out)')
    .option('--password-stdin', 'read the password as one line of stdin')
    .action((email, opts) => setPassword(ctx, email, { ...global(), ...opts }));
  users
    .command('delete <email>')
    .description('Remove a user (not the last admin) and end their sessions')
    .action((email, opts) => deleteUser(ctx, email, { ...global(), ...opts }));

  program
    .command('import <file>')
    .description('Import NDJSON (one Segment message a line) or CSV (offline data, with a column mapping)')
    .requiredOption('-s, --source <name>', 'the source (id or name) the records come from')
    .option('-f, --format <format>', 'csv or ndjson (default: from the file extension)')
    .option('-m, --map <field=column>', 'CSV: send a column to a field; repeatable (docs/import.md)', (v: string, all: string[]) => [...all, v], [])
    .option('--mapping <file>', 'CSV: a JSON file {"field": "column", ...}')
    .option('--type <type>', 'CSV: make track or identify messages', 'track')
    .option('--event <name>', 'CSV: the track event name when no event column is mapped', 'Order Completed')
    .option('--delimiter <char>', 'CSV: the field delimiter', ',')
    .option('--decimal-comma', 'CSV: amounts and prices write a decimal comma and "." between thousands (1.234,50); without it "," only separates thousands')
    .option('--rejects <file>', 'where to write rejected lines (default FILE.rejects.ndjson)')
    .option('--batch-size <n>', 'records per commit', '500')
    .option('--json', 'print the summary as JSON')
    .action((file, opts) => importFile(ctx, file, { ...global(), ...opts }));

  program
    .command('replay')
    .description('Process logged events again: from a position, the dead letters, or everything (--rebuild)')
    .option('--from <seq>', 'process again from this log position; events applied before are skipped')
    .option('--dead-letters', 'try the dead-lettered events again')
    .option('--rebuild', 'delete everything derived from events (profiles, identities) and process the whole log again')
    .option('--json', 'print the result as JSON')
    .action((opts) => replay(ctx, { ...global(), ...opts }));

  const journeys = program.command('journeys').description('See journeys, pause and resume them');
  journeys
    .command('list')
    .description('List journeys with their status and version')
    .option('--json', 'print JSON')
    .action((opts) => listJourneys(ctx, { ...global(), ...opts }));
  journeys
    .command('show <journey>')
    .description('A journey (id or name) and its stats: entered, per step, messages, conversions, split arms')
    .option('--json', 'print JSON')
    .action((journey, opts) => showJourney(ctx, journey, { ...global(), ...opts }));
  journeys
    .command('pause <journey>')
    .description('Pause a live journey: no one enters, customers in it wait where they are')
    .option('--json', 'print JSON')
    .action((journey, opts) => setJourneyStatus(ctx, journey, 'paused', { ...global(), ...opts }));
  journeys
    .command('resume <journey>')
    .description('Make a paused (or draft) journey live')
    .option('--json', 'print JSON')
    .action((journey, opts) => setJourneyStatus(ctx, journey, 'live', { ...global(), ...opts }));

  const policy = program.command('policy').description('The contact policy: show it, replace it, ask what it would decide');
  policy
    .command('show')
    .description('The policy in force, with its version')
    .option('--json', 'print JSON')
    .action((opts) => showPolicy(ctx, { ...global(), ...opts }));
  policy
    .command('set <file>')
    .description('Replace the policy with the JSON document in a file (a new version; docs/policy.md)')
    .option('--json', 'print JSON')
    .action((file, opts) => setPolicy(ctx, file, { ...global(), ...opts }));
  policy
    .command('simulate')
    .description('What the policy would decide now for a message to a customer, rule by rule (nothing is written)')
    .requiredOption('--profile <id>', 'the profile id')
    .addOption(new Option('--channel <channel>', 'the channel asked for').choices(MESSAGE_CHANNELS).makeOptionMandatory())
    .addOption(new Option('--fallback <channels...>', 'channels to fall back on, in order').choices(MESSAGE_CHANNELS))
    .option('--purpose <purpose>', 'marketing (default), transactional, ...')
    .option('--content <content>', 'a content item id or name')
    .option('--journey <journey>', 'a journey id or name (its priority and time zone)')
    .option('--json', 'print JSON')
    .action((opts) => simulatePolicy(ctx, { ...global(), ...opts }));

  program
    .command('report <name> [parameters...]')
    .description(
      'A report over the store (funnel, lifecycle-flow, attribution, cross-channel, ropo, cube, experiments); parameters as name=value (docs/analytics.md)',
    )
    .addOption(new Option('--format <format>', 'how to print it').choices(['table', 'csv', 'json']).default('table'))
    .option('--table <name>', 'with --format csv: the table to print (default: the first)')
    .action((name, parameters, opts) => runReport(ctx, name, parameters, { ...global(), ...opts }));

  program
    .command('attribution')
    .description('Every attribution model over a path table, side by side: reads the file only, no store (docs/analytics.md)')
    .requiredOption('--paths <file>', 'the path table: path;total_conversions;total_conversion_value;total_null, one path a line')
    .addOption(new Option('--format <format>', 'how to print the result').choices(ATTRIBUTION_FORMATS).default('table'))
    .option('--half-life <touches>', 'time decay: a touch weighs half the one this many touches after it', aboveZero, DEFAULT_HALF_LIFE)
    .action((opts) => attribution(ctx, opts));

  return program;
}

function aboveZero(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number above 0, e.g. 2');
  return n;
}

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const program = buildCli(ctx);
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError) ctx.stderr.write(`${error.message}\n`);
    else if (error instanceof TouchpointError) ctx.stderr.write(`error ${error.code}: ${error.message}\n`);
    else ctx.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  }
}
