// Operations drive Linux servers (pid files, unix sockets, signals, file modes); nothing here runs on Windows.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
