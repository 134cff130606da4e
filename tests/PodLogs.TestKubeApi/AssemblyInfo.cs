// File modes, unix signals and the Linux test machines: the server is for Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
