/** A report parameter that cannot be used: the HTTP edge answers 400 naming it, the CLI prints the message. */
export class ReportParameterError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
    this.name = 'ReportParameterError';
  }
}
