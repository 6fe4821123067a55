@echo off
rem ClassTop client agent: connects this computer to a ClassTop server.
rem   classtop-agent.bat --server http://HOST:PORT [--name NAME] [--data DIR] [--token TOKEN] ...
rem Environment: JAVA_HOME (else java on PATH), JAVA_OPTS and CLASSTOP_JAVA_OPTS (extra JVM options),
rem plus the CLASSTOP_AGENT_* variables of each flag (see conf\agent.properties).
setlocal

set "CLASSTOP_HOME=%~dp0.."
for %%I in ("%CLASSTOP_HOME%") do set "CLASSTOP_HOME=%%~fI"

set "JAVACMD=java"
if not defined JAVA_HOME goto haveJava
set "JAVACMD=%JAVA_HOME%\bin\java.exe"
if exist "%JAVACMD%" goto haveJava
echo classtop-agent: JAVA_HOME is set to "%JAVA_HOME%" but "%JAVACMD%" does not exist 1>&2
exit /b 1

:haveJava
"%JAVACMD%" "-Dclasstop.home=%CLASSTOP_HOME%" -Dclasstop.log.name=classtop-agent "-Dlogback.configurationFile=%CLASSTOP_HOME%\conf\logback.xml" %JAVA_OPTS% %CLASSTOP_JAVA_OPTS% -cp "%CLASSTOP_HOME%\lib\*" org.classtop.agent.Main %*
exit /b %ERRORLEVEL%
