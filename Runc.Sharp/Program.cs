namespace Runc.Sharp;

public static class Program
{
    public static int Main(string[] args)
    {
        Linux.StdStreams.Install();
        return args.Length > 0 && args[0] == "init"
            ? Launch.Init.InitMain.Run(args)
            : Cli.CliApp.Run(args);
    }
}
