/**
 * The registry of functions (Lambda and merge layers) and classes (custom layers, optimizers):
 * lookups, reverse lookup, duplicate protection, override, and the messages that tell the user
 * exactly what to call.
 */
import {
  registerFunction, getRegisteredFunction, functionName, unregisterFunction,
  registerClass, getRegisteredClass, unregisterClass, KeratorchError,
} from '../../src';
import type { ErrorCode } from '../../src';
import { expectError as expectCodedError } from '../helpers/errors';

/** Expects `fn` to throw a KeratorchError with this code, op and exact message. */
function expectError(fn: () => unknown, code: ErrorCode, op: string, message: string | RegExp): void {
  const error = expectCodedError(fn, code);
  expect(error.op).toBe(op);
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
}

// Every test registers its own names and removes them, so tests do not depend on each other.
const usedFunctions = new Set<string>();
const usedClasses = new Set<string>();
function fnName(name: string): string {
  usedFunctions.add(name);
  return name;
}
afterEach(() => {
  for (const name of usedFunctions) unregisterFunction(name);
  for (const name of usedClasses) unregisterClass(name);
  usedFunctions.clear();
  usedClasses.clear();
});

describe('functions', () => {
  test('register, look up, reverse look up', () => {
    const myFn = (x: number) => x * 2;
    registerFunction(fnName('myFn'), myFn);
    expect(getRegisteredFunction('myFn', 'the Lambda layer "lambda_1"')).toBe(myFn);
    expect(functionName(myFn)).toBe('myFn');
    expect(functionName(() => 0)).toBeUndefined();
  });

  test('a missing function: the message says what needs it and what to call', () => {
    expectError(() => getRegisteredFunction('myFn', 'the Lambda layer "lambda_1"'), 'ERR_ARGUMENT', 'loadModel',
      'loadModel: the Lambda layer "lambda_1" needs function "myFn": call registerFunction("myFn", fn) before loading');
    expectError(() => getRegisteredFunction('avg', 'the merge layer "merge_2"', 'loadWeights'), 'ERR_ARGUMENT',
      'loadWeights',
      'loadWeights: the merge layer "merge_2" needs function "avg": call registerFunction("avg", fn) before loading');
  });

  test('registering the same function again is fine; a different one under the name throws', () => {
    const first = () => 1;
    const second = () => 2;
    registerFunction(fnName('dup'), first);
    registerFunction('dup', first);
    expect(getRegisteredFunction('dup', 'x')).toBe(first);
    expectError(() => registerFunction('dup', second), 'ERR_ARGUMENT', 'registerFunction',
      'registerFunction: the name "dup" is already registered to function first: choose another name, or pass ' +
      '{ override: true } to replace it');
    expect(getRegisteredFunction('dup', 'x')).toBe(first);
  });

  test('{ override: true } replaces it, and the reverse lookup follows', () => {
    const first = () => 1;
    const second = () => 2;
    registerFunction(fnName('swap'), first);
    registerFunction('swap', second, { override: true });
    expect(getRegisteredFunction('swap', 'x')).toBe(second);
    expect(functionName(second)).toBe('swap');
    expect(functionName(first)).toBeUndefined();
  });

  test('one function under several names: functionName gives the first', () => {
    const shared = (x: unknown) => x;
    registerFunction(fnName('alias1'), shared);
    registerFunction(fnName('alias2'), shared);
    expect(functionName(shared)).toBe('alias1');
    expect(getRegisteredFunction('alias2', 'x')).toBe(shared);
    unregisterFunction('alias1');
    expect(functionName(shared)).toBe('alias2');
  });

  test('unregisterFunction removes it and says whether it was there', () => {
    const f = () => 0;
    registerFunction('gone', f);
    expect(unregisterFunction('gone')).toBe(true);
    expect(unregisterFunction('gone')).toBe(false);
    expect(functionName(f)).toBeUndefined();
    expect(() => getRegisteredFunction('gone', 'x')).toThrow(KeratorchError);
  });

  test('bad arguments', () => {
    expectError(() => registerFunction('', () => 0), 'ERR_ARGUMENT', 'registerFunction',
      'registerFunction: expected a non-empty string for name but received ""');
    expectError(() => registerFunction(3 as never, () => 0), 'ERR_ARGUMENT', 'registerFunction',
      'registerFunction: expected a non-empty string for name but received number 3');
    expectError(() => registerFunction('f', 'notAFunction' as never), 'ERR_ARGUMENT', 'registerFunction',
      'registerFunction: expected a function for fn but received "notAFunction"');
    expectError(() => registerFunction('f', () => 0, null as never), 'ERR_ARGUMENT', 'registerFunction',
      /expected an options object \(\{ override\?: boolean \}\) for options but received null/);
    expectError(() => getRegisteredFunction(undefined as never, 'x'), 'ERR_ARGUMENT', 'getRegisteredFunction',
      'getRegisteredFunction: expected a non-empty string for name but received undefined');
    // purpose and op go into the message: a null-prototype object has no string form.
    expectError(() => getRegisteredFunction('valid', Object.create(null)), 'ERR_ARGUMENT', 'getRegisteredFunction',
      'getRegisteredFunction: expected a non-empty string for purpose but received an object');
    expectError(() => getRegisteredFunction('valid', 'x', Symbol('op') as never), 'ERR_ARGUMENT', 'getRegisteredFunction',
      'getRegisteredFunction: expected a non-empty string for op but received symbol Symbol(op)');
    expectError(() => getRegisteredClass('C', Object.create(null)), 'ERR_ARGUMENT', 'getRegisteredClass',
      'getRegisteredClass: expected a non-empty string for purpose but received an object');
    expectError(() => registerFunction('f', () => 0, { overide: true } as never), 'ERR_ARGUMENT', 'registerFunction',
      'registerFunction: expected an option among override for options but received "overide"');
    expectError(() => registerFunction('f', () => 0, { override: 'yes' } as never), 'ERR_ARGUMENT', 'registerFunction',
      'registerFunction: expected a boolean for options.override but received "yes"');
  });
});

class MyLayer {
  static readonly className: string = 'MyLayer';
  constructor(readonly units: number) {}
}

class OtherMyLayer {
  static readonly className = 'MyLayer';
}

describe('classes', () => {
  test('register by static className, look up', () => {
    usedClasses.add('MyLayer');
    registerClass(MyLayer);
    const found = getRegisteredClass<typeof MyLayer>('MyLayer');
    expect(found).toBe(MyLayer);
    expect(new found(3).units).toBe(3);
  });

  test('a missing class: the message says what needs it and what to call', () => {
    expectError(() => getRegisteredClass('MyLayer', 'layer "my_layer_1"'), 'ERR_ARGUMENT', 'loadModel',
      'loadModel: layer "my_layer_1" needs class "MyLayer": call registerClass(MyLayer) before loading ' +
      '(the class must have static className = "MyLayer")');
    expectError(() => getRegisteredClass('MyOptimizer'), 'ERR_ARGUMENT', 'loadModel',
      /^loadModel: the saved config needs class "MyOptimizer": call registerClass\(MyOptimizer\)/);
  });

  test('the same class twice is fine; another class with the same className throws unless override', () => {
    usedClasses.add('MyLayer');
    registerClass(MyLayer);
    registerClass(MyLayer);
    expectError(() => registerClass(OtherMyLayer), 'ERR_ARGUMENT', 'registerClass',
      'registerClass: the className "MyLayer" is already registered to another class: rename one of them, or ' +
      'pass { override: true } to replace it');
    expect(getRegisteredClass('MyLayer')).toBe(MyLayer);
    registerClass(OtherMyLayer, { override: true });
    expect(getRegisteredClass('MyLayer')).toBe(OtherMyLayer);
  });

  test('a subclass must declare its own className', () => {
    class Sub extends MyLayer {}
    expectError(() => registerClass(Sub), 'ERR_ARGUMENT', 'registerClass',
      'registerClass: expected a class with its own static className for cls but received class Sub ' +
      '(it inherits className "MyLayer" from a parent class): add `static readonly className = \'Sub\'`');
    class SubWithName extends MyLayer {
      static readonly className = 'SubWithName';
    }
    usedClasses.add('SubWithName');
    registerClass(SubWithName);
    expect(getRegisteredClass('SubWithName')).toBe(SubWithName);
  });

  test('bad arguments', () => {
    class NoName {}
    expectError(() => registerClass(NoName as never), 'ERR_ARGUMENT', 'registerClass',
      /received class NoName \(it has no static className\): add `static readonly className = 'NoName'`/);
    class EmptyName {
      static readonly className = '';
    }
    expectError(() => registerClass(EmptyName), 'ERR_ARGUMENT', 'registerClass',
      'registerClass: expected a non-empty string for EmptyName.className but received ""');
    expectError(() => registerClass({ className: 'X' } as never), 'ERR_ARGUMENT', 'registerClass',
      'registerClass: expected a class for cls but received an object');
    expectError(() => getRegisteredClass(5 as never), 'ERR_ARGUMENT', 'getRegisteredClass',
      'getRegisteredClass: expected a non-empty string for className but received number 5');
  });

  test('unregisterClass removes it and says whether it was there', () => {
    registerClass(MyLayer);
    expect(unregisterClass('MyLayer')).toBe(true);
    expect(unregisterClass('MyLayer')).toBe(false);
    expect(() => getRegisteredClass('MyLayer')).toThrow(KeratorchError);
  });

  test('functions and classes have separate namespaces', () => {
    usedClasses.add('MyLayer');
    registerClass(MyLayer);
    const f = () => 0;
    registerFunction(fnName('MyLayer'), f);
    expect(getRegisteredClass('MyLayer')).toBe(MyLayer);
    expect(getRegisteredFunction('MyLayer', 'x')).toBe(f);
  });
});
