// The top of every page: breadcrumb ("Settings › Integrations › …"), the title (focused on arrival), optional actions.
import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useTitle } from '../hooks';

export interface Crumb {
  label: string;
  to?: string;
}

export const SETTINGS_INTEGRATIONS: Crumb[] = [{ label: 'Settings' }, { label: 'Integrations', to: '/integrations' }];

export function PageHeader(props: { title: string; crumbs: Crumb[]; actions?: ReactNode; aside?: ReactNode; children?: ReactNode }) {
  useTitle(props.title);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Moving focus to the new page's title tells keyboard and screen-reader users the page changed.
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <>
      <div className="page-header">
        <div className="page-header-text">
          {props.crumbs.length > 0 && (
            <nav aria-label="Breadcrumb" className="breadcrumb">
              <ol>
                {props.crumbs.map((c, i) => (
                  <li key={i} aria-current={i === props.crumbs.length - 1 ? 'page' : undefined}>
                    {c.to ? <Link to={c.to}>{c.label}</Link> : <span>{c.label}</span>}
                  </li>
                ))}
              </ol>
            </nav>
          )}
          <h1 tabIndex={-1} ref={heading}>
            {props.title}
          </h1>
          {props.aside}
        </div>
        {props.actions && <div className="page-actions">{props.actions}</div>}
      </div>
      {props.children}
    </>
  );
}
