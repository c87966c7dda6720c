/**
 * Asks the server, once per page, whether the user may use each button the page shows
 * (DescribeCallerPermissions: the user's own policies, decided in this request's context, no
 * audit row, no Redis command). Servers without the action leave the map to learn from answers.
 */
import { useEffect } from 'preact/hooks'
import { useConsole } from './console-context.ts'
import {
  ramActionOf,
  recordAnswers,
  resourceOf,
  type PermissionAnswer,
  type PermissionQuestion,
} from './permissions.ts'
import { RpcError, type RpcCall } from './rpc.ts'

/** Most checks per call (the server refuses more). */
export const CHECKS_PER_CALL = 50

/** Asks every question, {@link CHECKS_PER_CALL} per call, and records the answers. */
export async function askPermissions(
  call: RpcCall,
  questions: readonly PermissionQuestion[]
): Promise<void> {
  for (let start = 0; start < questions.length; start += CHECKS_PER_CALL) {
    const chunk = questions.slice(start, start + CHECKS_PER_CALL)
    const checks = chunk.map((question) => ({
      Action: ramActionOf(question.action),
      Resource: resourceOf(question),
    }))
    try {
      const data = await call<{ Results: PermissionAnswer[] }>('DescribeCallerPermissions', {
        Checks: JSON.stringify(checks),
      })
      recordAnswers(chunk, data.Results)
    } catch (error) {
      // An older server, a network failure: buttons stay usable and real answers still teach.
      if (error instanceof RpcError) return
      throw error
    }
  }
}

/** {@link askPermissions} when the page shows, and again when `questions` change. */
export function usePermissionChecks(questions: readonly PermissionQuestion[]): void {
  const { call } = useConsole()
  const key = JSON.stringify(questions)
  useEffect(() => {
    // Anything but an RpcError is a bug of ours: logged, and the buttons stay as they are.
    if (questions.length > 0) askPermissions(call, questions).catch(console.error)
    // `key` stands for `questions`, a new array at each render.
  }, [call, key])
}
