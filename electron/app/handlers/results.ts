import { chartSample, MAX_PAGE_ROWS } from '../../../shared/query/result-page';
import { resultExportParts } from '../../services/result-export';
import { seriesAt } from '../../services/result-store';
import type { AppDeps } from './context';
import type { DomainHandlers } from './index';

/** Results main keeps after `query:run`: pages for the table, the chart's rows, whole-result exports, release. */
export function resultHandlers(
  deps: AppDeps,
): DomainHandlers<'query:page' | 'query:chart' | 'query:export' | 'query:release'> {
  return {
    'query:page': async ({ resultId, statement, series, offset, limit }) => {
      const rows = seriesAt(deps.results.get(resultId), statement, series).rows;
      return { rows: rows.slice(offset, offset + Math.min(limit, MAX_PAGE_ROWS)) };
    },
    'query:chart': async ({ resultId, statement }) => {
      const st = deps.results.get(resultId).result.statements[statement];
      return { series: st ? chartSample(st.series) : [] };
    },
    'query:export': async ({ resultId, statement, format, to, lp }) => {
      const stored = deps.results.get(resultId);
      const { parts, name, rows } = resultExportParts(stored.result, { statement, format, epoch: stored.epoch, lp });
      const sink = deps.resultSink;
      const delivery =
        to === 'clipboard' && sink.clipboard ? await sink.clipboard(parts) : await sink.file(parts, name);
      return { ...delivery, rows };
    },
    'query:release': async ({ resultId }) => ({ released: deps.results.release(resultId) }),
  };
}
