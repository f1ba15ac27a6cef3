'use strict';

const { total, applyDiscount } = require('../src/cart');

describe('cart', () => {
  test('total sums price times quantity', () => {
    expect(total([{ price: 2, quantity: 3 }, { price: 1.5, quantity: 2 }])).toBe(9);
  });

  test('an empty cart costs nothing', () => {
    expect(total([])).toBe(0);
  });

  test('discount is applied', () => {
    expect(applyDiscount(200, 10)).toBe(180);
  });

  test('a discount over 100% is an error', () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => applyDiscount(10, 120)).toThrow(RangeError);
    spy.mockRestore();
  });

  test.skip('currency conversion (not implemented)', () => {});
});
