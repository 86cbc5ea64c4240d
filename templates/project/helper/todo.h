/*
 * todo.h: the body of an exercise function not written yet (the course-assignment starter).
 * A file of its own, outside the exercise files, so that each exercise file can be replaced
 * whole: by the reference's when grading one function with the others finished, or by a
 * student's submission in the grader's fresh tree.
 */
#ifndef TODO_H
#define TODO_H

int	todo(const char *function, const char *file);
/* How many times todo() ran in this process: the step drivers (tests/step-*.c) read it. */
extern unsigned	todo_calls;

#endif /* TODO_H */
