// The runtime suite drives containerd, runc and unix sockets: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
