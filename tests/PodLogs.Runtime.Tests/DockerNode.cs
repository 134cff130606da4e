using PodLogs.Core.Node;

namespace PodLogs.Runtime.Tests;

/// <summary>
/// A node tree mounted at the node paths with a real dockerd of its own and the dockershim emulator on it (the fixtures'
/// common part). With <c>daemonJson</c>, that text is the node's /etc/docker/daemon.json under the node root, and dockerd
/// reads it through --config-file, as it reads /etc/docker/daemon.json on a node.
/// </summary>
public class DockerNode : IDisposable
{
    public DockerNode(string? daemonJson = null)
    {
        Node = new NodeNamespace();
        try
        {
            string? config = null;
            if (daemonJson is not null)
            {
                config = Path.Join(Node.Root, NodeLayout.DockerDaemonConfig);
                Directory.CreateDirectory(Path.GetDirectoryName(config)!);
                File.WriteAllText(config, daemonJson);
            }
            Docker = new DockerDaemon(Node, config);
        }
        catch
        {
            Node.Dispose();
            throw;
        }
        Dockershim = new DockershimEmulator(Docker);
    }

    public NodeNamespace Node { get; }
    public DockerDaemon Docker { get; }
    public DockershimEmulator Dockershim { get; }

    public void Dispose()
    {
        Docker.Dispose();
        Node.Dispose();
    }
}
