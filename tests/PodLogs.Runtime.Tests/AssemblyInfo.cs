// The suite mounts a test node over /var/log and /var/lib/docker: one collection at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
