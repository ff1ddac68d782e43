import * as vscode from 'vscode';
import { Commands, type CommandId } from '../command-ids';
import type { CommandServices } from './context';
import { fixAll } from './fix-all';
import { fixAllWorkspace } from './fix-all-workspace';
import { restartServer } from './restart-server';
import { scanWorkspace } from './scan-workspace';
import { showOutput } from './show-output';
import { showReadiness } from './show-readiness';
import { showRuleDocs } from './show-rule-docs';

type Handler = (services: CommandServices, ...args: unknown[]) => unknown;

/** Every command the extension registers; the manifest test checks each is contributed. */
export const COMMAND_HANDLERS: Record<CommandId, Handler> = {
  [Commands.scanWorkspace]: scanWorkspace,
  [Commands.fixAll]: fixAll,
  [Commands.fixAllWorkspace]: fixAllWorkspace,
  [Commands.showRuleDocs]: showRuleDocs,
  [Commands.showReadiness]: showReadiness,
  [Commands.restartServer]: restartServer,
  [Commands.showOutput]: showOutput,
};

export function registerCommands(services: CommandServices): vscode.Disposable[] {
  return Object.entries(COMMAND_HANDLERS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => handler(services, ...args)),
  );
}
