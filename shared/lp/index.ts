/**
 * Line-protocol language service: one validator for the editor, main process and CLI.
 * Pure TypeScript (no Node, DOM or Electron APIs).
 */
export { FLAVORS, FLAVOR_RULES, PRECISION_NS, apiPath, autoPrecisionUnit, isFlavor, resolvePrecision } from './flavors';
export type { Flavor, FlavorRules, PrecisionResolution, PrecisionSpec, PrecisionUnit, WriteApi } from './flavors';
export { LP_CODES, codeStage } from './codes';
export type { LpCode, LpCodeInfo, LpStage } from './codes';
export { parseLpEntry, parseLpPoint, validateLineProtocol } from './validate';
export type { LpValidation, ValidateOptions } from './validate';
export type { LpOptions } from './engine';
export { checkPrecision, formatNs } from './precision';
export type { PrecisionCheck } from './precision';
export { SummaryBuilder } from './summary';
export type { CardinalityWarning, LpSummary } from './summary';
export { LpStream, createLpStream } from './stream';
export type { LpStreamEntry, LpStreamOptions, LpStreamStats } from './stream';
export { createLpDocument } from './document';
export type { LpDocument } from './document';
export type { Diagnostic, EntryKind, FieldType, LpEntry, Point, PointField, QuickFix, Severity, TextEdit } from './types';
