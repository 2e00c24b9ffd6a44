package io.alfer.cli.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Checks that the stack's ports are free on the loopback interface before anything starts. */
final class Ports {
  private Ports() {}

  /**
   * Fails with a message naming the port, its role and how to choose another when the port is in
   * use.
   */
  static void requireFree(int port, String role, String howToChange) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new StackException(
          "port "
              + port
              + " ("
              + role
              + ") is already in use on 127.0.0.1 by another program; "
              + howToChange);
    }
  }
}
