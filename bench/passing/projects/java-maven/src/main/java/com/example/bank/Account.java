package com.example.bank;

/** A bank account with a non-negative balance. */
public final class Account {
  private long balanceCents;

  /**
   * Deposits money.
   *
   * @param cents amount, positive
   */
  public void deposit(long cents) {
    if (cents <= 0) {
      throw new IllegalArgumentException("deposit must be positive");
    }
    balanceCents += cents;
  }

  /**
   * Withdraws money.
   *
   * @param cents amount, positive and at most the balance
   */
  public void withdraw(long cents) {
    if (cents > balanceCents) {
      throw new IllegalStateException("insufficient funds");
    }
    balanceCents -= cents;
  }

  /**
   * The balance.
   *
   * @return balance in cents
   */
  public long balance() {
    return balanceCents;
  }
}
