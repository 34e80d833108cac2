import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** One section of an ini file: `key → value`; sub-section keys are `parent.key`. */
export type IniSection = Record<string, string>;

/** A parsed ini file: section header (trimmed, as written) → section. */
type IniFile = Map<string, IniSection>;

function emptySection(): IniSection {
  return Object.create(null) as IniSection;
}

const COMMENT = /(^|\s)[#;].*$/;

/**
 * Parses an AWS shared config/credentials file the way the AWS SDKs do: `[section]` headers,
 * `key = value` lines (trimmed), `#`/`;` comments at the start of a line or after whitespace, and
 * sub-sections (a key with an empty value; the indented `k = v` lines below it become
 * `parent.k`). Sections named `__proto__` are dropped.
 */
export function parseIni(text: string): IniFile {
  const sections: IniFile = new Map();
  let current: IniSection | undefined;
  let subSection: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(COMMENT, '');
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const header = /^\[([^\]]*)\]$/.exec(trimmed);
    if (header !== null) {
      const name = (header[1] ?? '').trim();
      subSection = undefined;
      if (name === '__proto__' || name.endsWith(' __proto__')) {
        current = undefined;
        continue;
      }
      current = sections.get(name) ?? emptySection();
      sections.set(name, current);
      continue;
    }
    if (current === undefined) continue;
    const equals = trimmed.indexOf('=');
    if (equals === -1) continue;
    const key = trimmed.slice(0, equals).trim().toLowerCase();
    const value = trimmed.slice(equals + 1).trim();
    const indented = /^\s/.test(line);
    if (indented && subSection !== undefined) {
      current[`${subSection}.${key}`] = value;
    } else if (value === '') {
      subSection = key;
    } else {
      subSection = undefined;
      current[key] = value;
    }
  }
  return sections;
}

/** The merged view of the shared files: profiles (credentials file wins) and `services` sections. */
export interface SharedConfig {
  /** Profile name → merged settings. */
  readonly profiles: ReadonlyMap<string, IniSection>;
  /** `[services NAME]` sections of the config file. */
  readonly services: ReadonlyMap<string, IniSection>;
  /** Path of the config file and whether it was read (`ENOENT` → `false`). */
  readonly configFile: { readonly path: string; readonly found: boolean };
  /** Path of the credentials file and whether it was read. */
  readonly credentialsFile: { readonly path: string; readonly found: boolean };
}

function homeDirectory(env: Readonly<Record<string, string | undefined>>): string {
  if (env.HOME) return env.HOME;
  if (env.USERPROFILE) return env.USERPROFILE;
  if (env.HOMEDRIVE && env.HOMEPATH) return `${env.HOMEDRIVE}${env.HOMEPATH}`;
  return homedir();
}

function expandHome(path: string, env: Readonly<Record<string, string | undefined>>): string {
  return path.startsWith('~/') || path.startsWith('~\\') ? join(homeDirectory(env), path.slice(2)) : path;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw error;
  }
}

/** The paths of the shared config and credentials files for this environment. */
export function sharedFilePaths(env: Readonly<Record<string, string | undefined>>): {
  configPath: string;
  credentialsPath: string;
} {
  return {
    configPath: expandHome(env.AWS_CONFIG_FILE ?? join(homeDirectory(env), '.aws', 'config'), env),
    credentialsPath: expandHome(
      env.AWS_SHARED_CREDENTIALS_FILE ?? join(homeDirectory(env), '.aws', 'credentials'),
      env,
    ),
  };
}

/**
 * Reads and merges the shared `config` and `credentials` files (`AWS_CONFIG_FILE`,
 * `AWS_SHARED_CREDENTIALS_FILE`, defaults under `~/.aws/`). Missing files are empty. In the config
 * file, `[default]` and `[profile NAME]` are profiles (`[profile default]` wins over `[default]`),
 * other plain sections are ignored; in the credentials file every section is a profile.
 */
export async function loadSharedConfig(
  env: Readonly<Record<string, string | undefined>>,
): Promise<SharedConfig> {
  const { configPath, credentialsPath } = sharedFilePaths(env);
  const [configText, credentialsText] = await Promise.all([
    readOptional(configPath),
    readOptional(credentialsPath),
  ]);
  const profiles = new Map<string, IniSection>();
  const services = new Map<string, IniSection>();
  const merge = (name: string, section: IniSection): void => {
    profiles.set(name, Object.assign(profiles.get(name) ?? emptySection(), section));
  };
  if (configText !== undefined) {
    const parsed = parseIni(configText);
    const plainDefault = parsed.get('default');
    if (plainDefault !== undefined) merge('default', plainDefault);
    for (const [header, section] of parsed) {
      const match = /^(profile|services)\s+(.+)$/.exec(header);
      if (match === null) continue;
      const name = (match[2] ?? '').trim();
      if (match[1] === 'profile') merge(name, section);
      else services.set(name, section);
    }
  }
  if (credentialsText !== undefined) {
    for (const [header, section] of parseIni(credentialsText)) merge(header, section);
  }
  return {
    profiles,
    services,
    configFile: { path: configPath, found: configText !== undefined },
    credentialsFile: { path: credentialsPath, found: credentialsText !== undefined },
  };
}
