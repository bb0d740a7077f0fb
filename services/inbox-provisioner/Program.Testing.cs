// The entry point is referenced by WebApplicationFactory<Program> in the service's tests.
public partial class Program;
