// The tests drive Linux servers (pid files, unix sockets, signals), as the code under test does.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
