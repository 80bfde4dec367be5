import { checkExpectedRuntime } from "../../../test/runtime.ts"

checkExpectedRuntime()
