package io.netanomaly.store;

/**
 * The alert store could not do what was asked: the database is unreachable, a migration failed, or
 * a statement was refused. The message names the operation; it never holds credentials.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, safe to show and log
   * @param cause the driver's exception
   */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
