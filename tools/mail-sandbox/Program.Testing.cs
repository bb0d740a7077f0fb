// The entry point is referenced by WebApplicationFactory<Program> in the sandbox's tests.
public partial class Program;
