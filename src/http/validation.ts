import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

/**
 * Bodies are validated strictly: no type coercion ("123" stays a string problem) and unknown
 * fields rejected, not silently removed (Fastify's defaults do both). Query strings and headers
 * are text by nature, so they are coerced.
 */
export function installValidators(app: FastifyInstance): void {
  const make = (coerceTypes: boolean | 'array') => {
    const ajv = new Ajv.default({
      removeAdditional: false,
      useDefaults: true,
      coerceTypes,
      allErrors: true,
      strict: false,
    });
    addFormats.default(ajv);
    return ajv;
  };
  const bodyAjv = make(false);
  const textAjv = make('array');
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));
}
