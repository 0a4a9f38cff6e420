import { AUTH_SCHEME_LABELS, AUTH_SCHEMES, type AuthScheme } from '../../../../shared/domain/auth';
import type { ConnectionSummary } from '../../../../shared/domain/connection';
import type { AuthChoice } from '../../../../shared/domain/write-request';

/**
 * The per-request credential picker of the Write and Query forms: the scheme (what each puts on the
 * wire, from shared/domain/auth) and, for Basic and query-string auth, the username. The token itself
 * is never here: main adds it.
 */
export function AuthPicker(props: {
  auth: AuthChoice;
  onChange: (auth: AuthChoice) => void;
  /** Form field names, distinct per form (the Write and Query tabs stay mounted side by side). */
  names: { readonly scheme: string; readonly username: string };
}) {
  const { auth, onChange } = props;
  return (
    <>
      <label>
        auth
        <select
          value={auth.scheme}
          onChange={(e) => onChange({ ...auth, scheme: e.target.value as AuthScheme })}
          name={props.names.scheme}
          className="auth-scheme"
          title={AUTH_SCHEME_LABELS[auth.scheme]}
        >
          {AUTH_SCHEMES.map((s) => (
            <option key={s} value={s}>
              {AUTH_SCHEME_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      {(auth.scheme === 'basic' || auth.scheme === 'query') && (
        <label>
          username
          <input
            value={auth.username}
            onChange={(e) => onChange({ ...auth, username: e.target.value })}
            name={props.names.username}
            autoComplete="off"
          />
        </label>
      )}
    </>
  );
}

/** Why a request cannot go with this auth choice: a scheme that needs a token, and none is stored. */
export function missingTokenReason(c: ConnectionSummary, auth: AuthChoice): string | null {
  return auth.scheme !== 'none' && !c.token.hasToken
    ? `This auth scheme needs a token: add one in “${c.name}” settings.`
    : null;
}
