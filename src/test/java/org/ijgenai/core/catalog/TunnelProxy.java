package org.ijgenai.core.catalog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A minimal HTTP CONNECT proxy on 127.0.0.1 for one test: it records each CONNECT target and pipes bytes both ways.
 * It accepts at most 20 connections and closes with the test.
 */
final class TunnelProxy implements AutoCloseable {

    private final ServerSocket server;
    private final List<String> connects = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());

    TunnelProxy() throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tunnel-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    List<String> connects() {
        synchronized (connects) {
            return new ArrayList<>(connects);
        }
    }

    private void accept() {
        for (int i = 0; i < 20; i++) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Thread handler = new Thread(() -> tunnel(client), "tunnel-proxy-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void tunnel(Socket client) {
        try {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            String[] request = head.split("\r\n")[0].split(" ");
            if (request.length < 2 || !request[0].equals("CONNECT")) {
                client.close();
                return;
            }
            connects.add(request[1]);
            String[] target = request[1].split(":");
            Socket upstream = new Socket(target[0], Integer.parseInt(target[1]));
            sockets.add(upstream);
            OutputStream out = client.getOutputStream();
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread pump = new Thread(() -> pipe(upstream, client), "tunnel-proxy-pump");
            pump.setDaemon(true);
            pump.start();
            pipe(client, upstream);
        } catch (IOException e) {
            // The test sees a failed download if the tunnel breaks.
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4 && head.size() < 8192) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // One side closed.
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException e) {
                // Already closed.
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (sockets) {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
