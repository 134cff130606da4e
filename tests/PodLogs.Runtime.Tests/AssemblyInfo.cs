// The suite mounts a test node over /var/log and /var/lib/docker and drives real daemons: one
// collection at a time, Linux only.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
