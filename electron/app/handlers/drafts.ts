import type { AppDeps, HandlerContext } from './context';
import type { DomainHandlers } from './index';

/** The workspaces' drafts. */
export function draftHandlers(deps: AppDeps, ctx: HandlerContext): DomainHandlers<'drafts:get' | 'drafts:save'> {
  return {
    'drafts:get': async ({ connectionId, kind }) => {
      ctx.connection(connectionId);
      const stored = await deps.drafts.get(kind, connectionId);
      return { draft: stored?.draft ?? null, savedAt: stored?.savedAt ?? 0 };
    },
    'drafts:save': async ({ connectionId, kind, savedAt, draft }) => {
      ctx.connection(connectionId);
      return { saved: await deps.drafts.save(kind, connectionId, { draft, savedAt }) };
    },
  };
}
