@echo off
rem ClassTop server (LMS or, with --role management, the management server).
rem   classtop-lms.bat [--port N] [--bind ADDR] [--data DIR] [--plugins DIR] [--role lms|management] ...
rem Environment: JAVA_HOME (else java on PATH), JAVA_OPTS and CLASSTOP_JAVA_OPTS (extra JVM options),
rem plus the CLASSTOP_* variables of each flag (see conf\classtop.properties).
setlocal

set "CLASSTOP_HOME=%~dp0.."
for %%I in ("%CLASSTOP_HOME%") do set "CLASSTOP_HOME=%%~fI"

set "JAVACMD=java"
if not defined JAVA_HOME goto haveJava
set "JAVACMD=%JAVA_HOME%\bin\java.exe"
if exist "%JAVACMD%" goto haveJava
echo classtop-lms: JAVA_HOME is set to "%JAVA_HOME%" but "%JAVACMD%" does not exist 1>&2
exit /b 1

:haveJava
if not defined CLASSTOP_HEAP set "CLASSTOP_HEAP=1g"
rem The JVM flags of bin/classtop-lms (reasons and figures there and in the README): Serial GC that gives back what
rem it does not need, unless the options choose a collector; a young generation that starts at 4 MiB, unless they
rem size the heap; C1 only on a machine with one or two cores.
set "COLLECTOR=-XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
echo. %JAVA_OPTS% %CLASSTOP_JAVA_OPTS% | findstr /R /C:"-XX:+Use[A-Za-z0-9]*GC" >nul && set "COLLECTOR="
set "YOUNG=-XX:NewSize=4m"
echo. %JAVA_OPTS% %CLASSTOP_JAVA_OPTS% | findstr /C:"-Xms" /C:"-Xmn" /C:"NewSize=" /C:"NewRatio=" >nul && set "YOUNG="
if not defined COLLECTOR set "YOUNG="
set "JIT="
if %NUMBER_OF_PROCESSORS% LEQ 2 set "JIT=-XX:TieredStopAtLevel=1"
"%JAVACMD%" "-Dclasstop.home=%CLASSTOP_HOME%" -Dclasstop.log.name=classtop-lms %COLLECTOR% %YOUNG% %JIT% -Xms32m -Xmx%CLASSTOP_HEAP% -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError "-Dlogback.configurationFile=%CLASSTOP_HOME%\conf\logback.xml" %JAVA_OPTS% %CLASSTOP_JAVA_OPTS% -cp "%CLASSTOP_HOME%\lib\*" org.classtop.core.Main %*
exit /b %ERRORLEVEL%
