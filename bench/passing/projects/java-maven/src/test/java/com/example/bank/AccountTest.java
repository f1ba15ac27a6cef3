package com.example.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

class AccountTest {
  @Test
  void depositAddsToBalance() {
    Account account = new Account();
    account.deposit(250);
    account.deposit(50);
    assertEquals(300, account.balance());
  }

  @Test
  void withdrawingTooMuchFails() {
    Account account = new Account();
    account.deposit(100);
    IllegalStateException error =
        assertThrows(IllegalStateException.class, () -> account.withdraw(101));
    assertEquals("insufficient funds", error.getMessage());
  }

  @Test
  @Disabled("interest is not implemented yet")
  void interestIsPaid() {}
}
